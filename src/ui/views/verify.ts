// Human view of `ke driver verify`: checks grouped as they ran, one line each, then the tally.
import type {CheckResult, CheckStatus, VerifyReport} from '../../verify/types.js'
import type {Colors} from '../colors.js'

function mark(status: CheckStatus, c: Colors): string {
  switch (status) {
    case 'pass':
      return c.green('pass')
    case 'fail':
      return c.red('FAIL')
    case 'warn':
      return c.yellow('warn')
    case 'skip':
      return c.dim('skip')
  }
}

function line(check: CheckResult, width: number, c: Colors): string {
  const reason = check.status === 'skip' ? c.dim(check.reason) : check.reason
  return `  ${mark(check.status, c)}  ${check.name.padEnd(width)}  ${reason}`
}

export function summaryLine(report: VerifyReport): string {
  const {passed, failed, warnings, skipped} = report.summary
  return `${passed} passed, ${failed} failed, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, ${skipped} skipped`
}

export function renderVerify(report: VerifyReport, c: Colors): string {
  const width = Math.max(...report.checks.map((check) => check.name.length))
  const lines = [c.bold(`driver ${report.driver}`)]
  for (const group of [...new Set(report.checks.map((check) => check.group))]) {
    lines.push('', group)
    for (const check of report.checks.filter((one) => one.group === group)) lines.push(line(check, width, c))
  }
  if (!report.full) lines.push('', c.dim('lifecycle: not run; --full makes a real cluster with the options given, checks it and removes it'))
  const verdict = report.ok ? c.green('driver keeps the contract') : c.red('driver breaks the contract')
  lines.push('', `${verdict}: ${summaryLine(report)}`)
  return lines.join('\n')
}

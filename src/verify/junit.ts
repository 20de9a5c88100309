// The verify report as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test reporters) show:
// one <testsuite> per group, one <testcase> per check. A failed check is a <failure>, a skipped one
// <skipped>; JUnit has no warning, so a warning passes with its reason in <system-out>.
import type {CheckResult, VerifyReport} from './types.js'

/** Characters XML 1.0 cannot hold at all, even escaped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('')
}

function testcase(check: CheckResult): string {
  const open = `    <testcase${attributes({classname: `ke.verify.${check.group}`, name: `${check.name}: ${check.title}`, time: seconds(check.durationMs)})}`
  switch (check.status) {
    case 'pass':
      return `${open}/>`
    case 'fail':
      return `${open}>\n      <failure${attributes({message: check.reason, type: check.name})}>${escapeXml(check.reason)}</failure>\n    </testcase>`
    case 'skip':
      return `${open}>\n      <skipped${attributes({message: check.reason})}/>\n    </testcase>`
    case 'warn':
      return `${open}>\n      <system-out>${escapeXml(`warning: ${check.reason}`)}</system-out>\n    </testcase>`
  }
}

function counts(checks: CheckResult[]): Record<string, number | string> {
  const time = checks.reduce((sum, check) => sum + check.durationMs, 0)
  return {
    tests: checks.length,
    failures: checks.filter((check) => check.status === 'fail').length,
    errors: 0,
    skipped: checks.filter((check) => check.status === 'skip').length,
    time: seconds(time),
  }
}

export function toJUnitXml(report: VerifyReport): string {
  const groups = [...new Set(report.checks.map((check) => check.group))]
  const suites = groups.map((group) => {
    const checks = report.checks.filter((check) => check.group === group)
    const cases = checks.map(testcase).join('\n')
    return `  <testsuite${attributes({name: `${report.driver} ${group}`, ...counts(checks)})}>\n${cases}\n  </testsuite>`
  })
  const root = {name: `ke driver verify ${report.driver}`, ...counts(report.checks), time: seconds(report.durationMs)}
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes(root)}>\n${suites.join('\n')}\n</testsuites>\n`
}

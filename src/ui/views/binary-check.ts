// Human view of a binary preflight (`ke driver check FILE`): what the file is, what this machine is,
// then either "can run here" or each problem with what to do about it; "is a cluster driver" only
// once the program answered the options call, and "not a cluster driver" when it did not.
import type {BinaryReport} from '../../driver/binary/index.js'
import type {ProbeResult} from '../../driver/run/probe.js'
import type {Colors} from '../colors.js'

/** A report of the file a driver's name was found as (`foundAs`) is headed by that name too. */
export function renderBinaryCheck(report: BinaryReport & {ref?: string; foundAs?: string}, c: Colors): string {
  const facts = factRows(report)
  const width = Math.max(...facts.map(([label]) => label.length))
  const title = report.foundAs ? `${report.ref}, ${report.foundAs}: ${report.path}` : report.path
  const lines = [c.bold(title), ...facts.map(([label, value]) => `  ${label.padEnd(width)}   ${value}`), '']
  if (report.canRun) lines.push(c.green('can run here'))
  else lines.push(c.red(`cannot run here:`), ...report.problems.flatMap((p) => problemLines(p, c)))
  return lines.join('\n')
}

/** Said only once the program answered the options call. */
export function renderProbe(probe: ProbeResult, c: Colors): string {
  const options = probe.options === 1 ? '1 option' : `${probe.options} options`
  return c.green(`is a cluster driver: it answered ${probe.answered} (${options})`)
}

/** The verdict when the program ran but did not answer as a cluster driver. */
export function renderNotADriver(c: Colors): string {
  return c.red('not a cluster driver: it did not answer the options call')
}

function factRows(report: BinaryReport): Array<[string, string]> {
  if (!report.exists) return [['file', 'missing']]
  if (!report.isFile) return [['file', 'not a regular file']]
  const rows: Array<[string, string]> = [['type', describeType(report)]]
  if (report.linkage) rows.push(['linkage', report.linkage])
  if (report.interpreter) rows.push(['loader', report.interpreter])
  if (report.glibcRequired) rows.push(['glibc', `needs ${report.glibcRequired}, this machine has ${report.glibcInstalled ?? 'none'}`])
  if (report.shebang) rows.push(['interpreter', describeShebang(report)])
  if (report.runner) rows.push(['runs with', report.runner])
  if (!report.runner || report.executable) rows.push(['executable', report.executable ? 'yes' : 'no (no exec bit)'])
  if (report.dockerMachinePlugin) rows.push(['kind', 'docker-machine plugin'])
  rows.push(['this machine', describeHost(report)])
  return rows
}

function describeType(report: BinaryReport): string {
  const bits = report.bits ? ` ${report.bits}-bit` : ''
  const target = report.os && report.arch ? ` for ${report.os}/${report.arch}` : ''
  switch (report.format) {
    case 'elf':
      return `ELF${bits}${target}`
    case 'mach-o':
      return `Mach-O${bits}${target}`
    case 'pe':
      return `Windows program (PE)${bits}${target}`
    case 'script':
      if (report.runner) return /ts$/.test(report.path) ? 'TypeScript source' : 'JavaScript source'
      return 'script'
    default:
      return 'not a program'
  }
}

function describeShebang(report: BinaryReport): string {
  const shebang = report.shebang!
  // Escaped, so that a stray \r from Windows line endings shows up.
  const interpreter = JSON.stringify(shebang.interpreter).slice(1, -1)
  if (shebang.program) return `${shebang.program} via ${interpreter} (${shebang.programPath ?? 'not on PATH'})`
  return `${interpreter}${shebang.exists ? '' : ' (missing)'}`
}

function describeHost(report: BinaryReport): string {
  const {os, arch, glibc} = report.host
  return `${os}/${arch}${glibc ? `, glibc ${glibc}` : ''}`
}

function problemLines(problem: BinaryReport['problems'][number], c: Colors): string[] {
  return [`  ${c.red('✗')} ${problem.message}`, `    ${c.dim(`hint: ${problem.hint}`)}`]
}

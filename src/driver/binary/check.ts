// checkBinary assembles the report from the other files in this folder; describeBinaryProblem picks
// the problem the launcher shows. What the check is for: see ../binary-check.ts.
import {isScriptSource} from '../install/locate.js'
import {resolveHost} from './host.js'
import {inspectContent} from './inspect.js'
import {findProblems, missingProblem, notAFileProblem} from './problems.js'
import {shellQuote} from '../../shell-quote.js'
import {isExecutable, statFile} from './read.js'
import {resolveShebang} from './script.js'
import type {BinaryProblemCode, BinaryReport, HostInfo} from './types.js'

export async function checkBinary(path: string, host: Partial<HostInfo> = {}): Promise<BinaryReport> {
  const machine = resolveHost(host)
  const report = emptyReport(path, machine)
  const file = await statFile(path)
  if (!file.stats) {
    report.problems.push(await missingProblem(path))
    return finish(report)
  }
  report.exists = true
  report.isFile = file.stats.isFile()
  if (!report.isFile) {
    report.problems.push(notAFileProblem(path, file.stats))
    return finish(report)
  }
  report.executable = await isExecutable(path)
  if (isScriptSource(path)) return finish(withRunner(report))
  const content = await inspectContent(path)
  Object.assign(report, content.header)
  if (content.facts.machOSlices?.includes(machine.arch)) report.arch = machine.arch
  report.dockerMachinePlugin = content.dockerMachinePlugin
  if (report.format === 'elf' && report.os === 'linux' && report.linkage === 'dynamic') report.glibcInstalled = machine.glibc
  if (report.format === 'script' && report.shebang) report.shebang = await resolveShebang(report.shebang)
  report.problems.push(...(await findProblems(report, content.facts, file.stats, machine)))
  return finish(report)
}

/** A driver's source, run as `ke create --driver FILE` runs it: the file's own header and mode do not matter. */
function withRunner(report: BinaryReport): BinaryReport {
  const typescript = /ts$/.test(report.path)
  report.format = 'script'
  report.runner = `Node ${process.version}, ke's own${typescript ? ", with ke's tsx for TypeScript" : ''}`
  return report
}

/**
 * The problem to fix first, as one error line shows it. The launcher points to `ke driver check` for the
 * others; the check itself (`listed`) has just printed them all.
 */
export function describeBinaryProblem(report: BinaryReport, {listed = false} = {}): {message: string; hint: string} | undefined {
  const [first, ...others] = [...report.problems].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code))
  if (!first) return undefined
  if (others.length === 0 || listed) return {message: first.message, hint: first.hint}
  const more = others.length === 1 ? '1 more problem' : `${others.length} more problems`
  // the error line puts the hint in parentheses: none inside it
  return {message: first.message, hint: `${first.hint}; ${more}: see \`ke driver check ${shellQuote(report.path)}\``}
}

// A file that must be replaced matters more than one that must be chmod-ed; a file that is not a
// cluster driver at all matters more than the machine it was built for.
const PRIORITY: readonly BinaryProblemCode[] = [
  'MISSING',
  'NOT_A_FILE',
  'DOCKER_MACHINE_PLUGIN',
  'NOT_A_PROGRAM',
  'WRONG_OS',
  'WRONG_ARCH',
  'INTERPRETER_MISSING',
  'GLIBC_TOO_NEW',
  'NOT_EXECUTABLE',
]

function emptyReport(path: string, host: HostInfo): BinaryReport {
  return {
    path,
    exists: false,
    isFile: false,
    executable: false,
    format: 'unknown',
    dockerMachinePlugin: false,
    host,
    canRun: false,
    problems: [],
  }
}

// Reports are printed as JSON: the fields a reader looks for first come first, absent ones are left out.
const REPORT_ORDER: ReadonlyArray<keyof BinaryReport> = [
  'path', 'exists', 'isFile', 'executable', 'format', 'os', 'arch', 'bits', 'linkage', 'interpreter',
  'glibcRequired', 'glibcInstalled', 'shebang', 'runner', 'dockerMachinePlugin', 'canRun', 'problems', 'host',
]

function finish(report: BinaryReport): BinaryReport {
  report.canRun = report.problems.length === 0
  const ordered: Record<string, unknown> = {}
  for (const key of REPORT_ORDER) if (report[key] !== undefined) ordered[key] = report[key]
  return ordered as unknown as BinaryReport
}

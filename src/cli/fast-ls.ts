// `ke ls` without oclif. It runs in shell prompts and CI loops, where loading oclif and its command tree
// costs more than listing. bin/run.js hands over argv; the plain forms on the file store are answered
// here with the same code as the `ls` command (list-clusters.ts, the same store, views and error
// report), so stdout, stderr and the exit code are the same bytes. Every other form (--help, --debug,
// an unknown or repeated flag, another store, anything oclif would refuse) returns false and runs
// through oclif.
import {join} from 'node:path'
import {isatty} from 'node:tty'
import {Supervisor} from '../driver/run/supervisor.js'
import {reapOrphanDrivers} from '../driver/run/orphans.js'
import {Redactor} from '../redact.js'
import {FileStore} from '../store/file/file-store.js'
import {makeColors} from '../ui/colors.js'
import {makeProgress} from '../ui/progress.js'
import {thrownToKeError} from './errors.js'
import {checkKeHome, keHomeOf} from './ke-home.js'
import {listRows, listText, parseFilter, unreadableWarnings} from './list-clusters.js'
import {reportError} from './report-error.js'
import {ignoreClosedStdout} from './closed-stdout.js'

export interface FastLsRequest {
  /** -q or --quiet: names only. */
  names: boolean
  /** --quiet, the global flag (-q is only ls's own): warnings without timestamps. */
  quiet: boolean
  json: boolean
  noColor: boolean
  filters: string[]
}

const COMMANDS = new Set(['ls', 'list'])
/** Boolean flags, and the flag each one sets (-q and --quiet are one flag to oclif). */
const BOOLEANS: Record<string, string> = {'-q': 'quiet', '--quiet': 'quiet', '--json': 'json', '--no-color': 'no-color'}

/** The value of `--name VALUE` or `--name=VALUE` at argv[i], and how many words it took. */
function valueAt(argv: string[], i: number, name: string): {value: string | undefined; words: number} | undefined {
  if (argv[i] === `--${name}`) return {value: argv[i + 1], words: 2}
  if (argv[i].startsWith(`--${name}=`)) return {value: argv[i].slice(name.length + 3), words: 1}
  return undefined
}

/** What `argv` asks of ls when it is a form answered here; undefined for every other command line. */
export function fastLsRequest(argv: string[], env: NodeJS.ProcessEnv): FastLsRequest | undefined {
  const [command, ...rest] = argv
  if (!COMMANDS.has(command)) return undefined
  // stack traces, oclif's debug log and JSON chosen by the environment are oclif's to give
  if (env.KE_DEBUG === '1' || env.DEBUG || env.KE_CONTENT_TYPE) return undefined
  const seen = new Set<string>()
  const filters: string[] = []
  let store: string | undefined
  for (let i = 0; i < rest.length; ) {
    const flag = BOOLEANS[rest[i]]
    if (flag) {
      if (seen.has(flag)) return undefined
      seen.add(flag)
      i++
      continue
    }
    const filter = valueAt(rest, i, 'filter')
    const storeFlag = filter ? undefined : valueAt(rest, i, 'store')
    const given = filter ?? storeFlag
    // a missing or empty value, or one that looks like a flag: oclif says what is wrong
    if (!given || !given.value || given.value.startsWith('-')) return undefined
    if (filter) filters.push(given.value)
    else if (store !== undefined) return undefined
    else store = given.value
    i += given.words
  }
  if ((store ?? (env.KE_STORE || 'file')) !== 'file') return undefined
  return {names: seen.has('quiet'), quiet: rest.includes('--quiet'), json: seen.has('json'), noColor: seen.has('no-color'), filters}
}

/** Lists as the `ls` command would (init, run, catch, finally of base-command.ts, in that order). */
export async function runFastLs(request: FastLsRequest, env: NodeJS.ProcessEnv): Promise<void> {
  const supervisor = new Supervisor()
  supervisor.install()
  const redactor = new Redactor()
  const redact = (text: string) => redactor.redact(text)
  const stderrIsTTY = isatty(2)
  const colors = makeColors({noColor: request.noColor, isTTY: stderrIsTTY})
  try {
    const home = keHomeOf(env)
    checkKeHome(home)
    reapOrphanDrivers(join(home, 'run'))
    const rows = await listRows(new FileStore(home), request.filters.map(parseFilter))
    const text = listText(rows, {names: request.names, colors})
    if (text !== undefined && !request.json) process.stdout.write(`${redact(text)}\n`)
    // made for a warning only: stderr, as a stream, costs every `ke ls` its making (~2 ms as a pipe)
    const warnings = unreadableWarnings(rows)
    const progress = warnings.length > 0 ? makeProgress({quiet: request.quiet || request.json, tty: stderrIsTTY && !env.CI, colors}) : undefined
    for (const warning of warnings) progress?.warn(redact(warning))
    if (request.json) process.stdout.write(`${redact(JSON.stringify(rows, null, 2))}\n`)
  } catch (error) {
    const keError = thrownToKeError(error, {flagNames: [], helpCommand: 'ke ls --help'})
    reportError(keError, {exit: supervisor.exitCodeAfter(keError), redact, debug: false, noColor: request.noColor, json: request.json})
  } finally {
    await supervisor.stopAll()
    supervisor.dispose()
  }
}

/** bin/run.js: answers `argv` and returns true when it is a form answered here, else returns false. */
export async function fastLs(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const request = fastLsRequest(argv, env)
  if (!request) return false
  ignoreClosedStdout()
  await runFastLs(request, env)
  return true
}

// What every ke command shares, with or without oclif around it: the global flags, the command context
// (KE_HOME, store, redactor, progress, supervisor), the two-phase parse of driver flags, and the one
// place errors are printed and turned into exit codes. BaseCommand hands oclif's commands one; bin/run.js
// runs the commands answered without oclif (src/cli/direct.ts) on one too, so both print the same.
import {Flags} from '@oclif/core'
import type {Input, ParserOutput} from '@oclif/core/interfaces'
import {join} from 'node:path'
import type {LifecycleDeps, Progress} from '../cluster/deps.js'
import type {DriverSettings, SessionDriver} from '../cluster/flow.js'
import {withClusterDriver} from '../cluster/with-cluster.js'
import {showDriverWarning} from '../driver/run/driver-log.js'
import {reapOrphanDrivers} from '../driver/run/orphans.js'
import type {SessionContext} from '../driver/run/session.js'
import {Supervisor} from '../driver/run/supervisor.js'
import type {KeError} from '../errors.js'
import {Redactor} from '../redact.js'
import {shellQuote} from '../shell-quote.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import type {ClusterStore} from '../store/cluster-store.js'
import {FileStore} from '../store/file/file-store.js'
import {makeColors, type Colors} from '../ui/colors.js'
import {makeProgress} from '../ui/progress.js'
import {driverFlag, driverRuntimeOf, storeFlag, timeoutsOf} from './common-flags.js'
import {booleanWord, parseEarly, withBooleanValues, type EarlyParse} from './early-flags.js'
import {thrownToKeError, type UsageContext} from './errors.js'
import {keInvocation} from './invocation.js'
import {checkKeHome, keHomeOf} from './ke-home.js'
import {openStore} from './open-store.js'
import {printErrorLine, reportError} from './report-error.js'

/** oclif's shape of parsed flags and args. */
type Parsed = {[name: string]: any}

export interface CommandContext extends SessionContext, LifecycleDeps {
  store: ClusterStore
  progress: Progress
  colors: Colors
  json: boolean
  debug: boolean
}

/** --json, as oclif adds it to a command that enables it, in ke's words (oclif's: "Format output as json."). */
export const JSON_FLAG = Flags.boolean({description: 'print the result as JSON', helpGroup: 'GLOBAL'})

/** The flags of every command. */
export const GLOBAL_FLAGS = {
  debug: Flags.boolean({description: 'stream driver logs and show stack traces on stderr', helpGroup: 'GLOBAL'}),
  quiet: Flags.boolean({description: 'print nothing on success but warnings (what a command is asked to show, such as a list or a count, is still shown)', helpGroup: 'GLOBAL'}),
  'no-color': Flags.boolean({description: 'no colours (also NO_COLOR=1)', helpGroup: 'GLOBAL'}),
  ...storeFlag,
}

/** What a command declares: its flags and arguments, as oclif reads them. */
export interface CommandSpec {
  flags?: Record<string, any>
  baseFlags?: Record<string, any>
  args?: Record<string, any>
  strict?: boolean
  enableJsonFlag?: boolean
}

/** oclif's parse of argv against a spec: Command.parse inside oclif, Parser.parse without it. */
export type ParseFn = <F extends Parsed, B extends Parsed, A extends Parsed>(options: Input<F, B, A>, argv: string[]) => Promise<ParserOutput<F, B, A>>

export interface SessionOptions {
  /** oclif's command id (`etcd:save`). */
  id: string
  argv: string[]
  spec: CommandSpec
  /** The global flags (GLOBAL_FLAGS): read first, so that a command line that fails to parse is still reported as they ask. */
  globalFlags: Record<string, any>
  parse: ParseFn
  /** Whether output is JSON: --json before `--`, or KE_CONTENT_TYPE=json (oclif's rule). */
  json: boolean
  env?: NodeJS.ProcessEnv
}

export class CommandSession {
  private readonly id: string
  private readonly argv: string[]
  private readonly spec: CommandSpec
  private readonly parseWith: ParseFn
  private readonly json: boolean
  private readonly env: NodeJS.ProcessEnv
  private readonly globalFlags: Record<string, any>
  private readonly redactor = new Redactor()
  private readonly supervisor = new Supervisor()
  private context: CommandContext | undefined
  /** --debug, --quiet, --no-color: read in init(), so that even a command line that fails to parse is reported as asked. */
  private globals: {debug?: boolean; quiet?: boolean; 'no-color'?: boolean; store?: string} = {}
  private store: ClusterStore | undefined
  /** ke's own flags from the latest parse: how the driver runs comes from them. */
  private parsedFlags: Record<string, any> = {}
  /** Set by commands whose flags depend on a driver, so an unknown flag can be matched to them. */
  private usage: UsageContext | undefined

  constructor(options: SessionOptions) {
    this.id = options.id
    this.argv = options.argv
    this.spec = options.spec
    this.parseWith = options.parse
    this.json = options.json
    this.env = options.env ?? process.env
    this.globalFlags = options.globalFlags
  }

  /** Before the command runs: signal handling, orphaned drivers, the global flags and the store. */
  async init(): Promise<void> {
    this.supervisor.install()
    checkKeHome(this.keHome)
    // drivers a killed ke left running are stopped by the next ke, whatever the command
    reapOrphanDrivers(join(this.keHome, 'run'))
    this.globals = await globalFlagsIn(this.argv, this.globalFlags)
    this.store = await openStore(this.globals.store, this.keHome, this.env)
  }

  get keHome(): string {
    return keHomeOf(this.env)
  }

  /**
   * A ke command line to suggest (`env NAME` → `ke env NAME`), runnable as printed: ke as it was run
   * here (cli/invocation.ts), and `--store X` when --store chose the store, to reach the same one
   * (`--store file` too where KE_STORE would pick another).
   */
  suggestedCommand(words: string): string {
    const store = this.globals.store
    const named = store && (store !== 'file' || this.env.KE_STORE)
    return `${keInvocation()} ${words}${named ? ` --store ${shellQuote(store)}` : ''}`
  }

  get quiet(): boolean {
    return Boolean(this.globals.quiet)
  }

  jsonEnabled(): boolean {
    return this.json
  }

  private get debugging(): boolean {
    return Boolean(this.globals.debug) || this.env.KE_DEBUG === '1'
  }

  /** The context commands hand to the core. Built on first use. */
  ctx(): CommandContext {
    if (this.context) return this.context
    const debug = this.debugging
    const colors = makeColors({noColor: Boolean(this.globals['no-color']), isTTY: Boolean(process.stderr.isTTY)})
    const progress: Progress = makeProgress({quiet: this.quiet || this.json, tty: Boolean(process.stderr.isTTY) && !this.env.CI, colors})
    const home = this.keHome
    this.context = {
      home,
      cwd: process.cwd(),
      env: this.env,
      store: this.store ?? new FileStore(home),
      redactor: this.redactor,
      supervisor: this.supervisor,
      progress,
      colors,
      json: this.json,
      debug,
      command: this.id.replaceAll(':', ' '),
      signal: this.supervisor.signal,
      // without --debug, only what a driver logs as a warning reaches the user (e.g. what rm left alone)
      debugStream: debug ? (line) => process.stderr.write(`${this.redactor.redact(line)}\n`) : (line) => showDriverWarning(line, progress),
    }
    return this.context
  }

  /**
   * oclif's parse, remembering ke's own flags for driverSettings(). A boolean flag given a value
   * (`--debug=false`) is spelled as oclif reads it, or refused, first: oclif would take the value for an
   * argument and report that instead.
   */
  async parse<F extends Parsed, B extends Parsed, A extends Parsed>(options: Input<F, B, A>, argv: string[] = this.argv): Promise<ParserOutput<F, B, A>> {
    const output = await this.parseWith(options, withBooleanValues(argv, {...ownFlagsOf(this.spec), ...options.flags}))
    this.parsedFlags = output.flags
    return output
  }

  /**
   * Phase one of the two-phase parse: ke's own flags, with the driver's left alone (it decides which
   * flags exist, and it is not started yet). Gives the driver, how to run it, and the cluster name.
   */
  async parseEarly(helpCommand: (early: Partial<EarlyParse>) => string): Promise<EarlyParse> {
    try {
      const early = await parseEarly(this.argv, ownFlagsOf(this.spec))
      this.parsedFlags = early.flags
      return early
    } catch (error) {
      // a bad value of one of ke's flags: its help still names the driver (or cluster) when that much parses
      const partial = await parseEarly(this.argv, {...this.spec.baseFlags, ...driverFlag}).catch(() => ({}))
      throw thrownToKeError(error, {...this.ownUsage(), helpCommand: helpCommand(partial)})
    }
  }

  /**
   * Parses with the driver's flags added to the command's own (phase two of the two-phase parse:
   * the driver decides which flags exist). Unknown flags are matched against both sets.
   */
  async parseWithDriverFlags(driverFlags: Record<string, any>, driverFlagNames: string[], helpCommand: string): Promise<{args: Record<string, string | undefined>; flags: Record<string, any>}> {
    const spec = this.spec
    const own = {...spec.baseFlags, ...spec.flags}
    this.usage = {flagNames: [...Object.keys(own), 'json', ...driverFlagNames], helpCommand}
    try {
      const {args, flags} = await this.parse({flags: {...own, ...driverFlags}, baseFlags: spec.baseFlags, enableJsonFlag: spec.enableJsonFlag, args: spec.args, strict: spec.strict})
      return {args: args as Record<string, string | undefined>, flags}
    } catch (error) {
      throw thrownToKeError(error, this.usage)
    }
  }

  /** Timeouts, environment and --attach for the driver, from the latest parse; --env values become secrets. */
  driverSettings(): DriverSettings {
    const runtime = driverRuntimeOf(this.parsedFlags)
    this.redactor.add(...runtime.secrets)
    return {...timeoutsOf(this.parsedFlags), driverEnv: runtime.driverEnv, attach: runtime.attach}
  }

  /** Runs `work` with the stored cluster's driver started, under its lock when `lock` (a command that changes it). */
  withCluster<T>(name: string, lock: boolean, work: (driver: SessionDriver, cluster: ClusterRecord) => Promise<T>): Promise<T> {
    return withClusterDriver(this.ctx(), name, {lock, commandLine: `ke ${this.id.replaceAll(':', ' ')} ${name}`, ...this.driverSettings()}, work)
  }

  /** What was done, for people, on stdout: nothing with --quiet or --json. Secrets redacted. */
  print(text: string): void {
    if (!this.quiet) this.printAnswer(text)
  }

  /** What the command was asked to show (a table, a count, an export line): also with --quiet. */
  printAnswer(text: string): void {
    if (this.json) return
    this.context?.progress.done()
    process.stdout.write(`${this.redactor.redact(text)}\n`)
  }

  warn(text: string): void {
    this.ctx().progress.warn(this.redactor.redact(text))
  }

  /** The command's result under --json, redacted. */
  printJson(json: unknown): void {
    this.context?.progress.done()
    process.stdout.write(`${this.redactor.redact(JSON.stringify(json, null, 2))}\n`)
  }

  /** Prints one error as `Error: message (hint)` on stderr, redacted, for a command that goes on after it. */
  printError(keError: KeError): {message: string; hint?: string} {
    this.context?.progress.clear?.()
    return printErrorLine(keError, {redact: (text) => this.redactor.redact(text), noColor: Boolean(this.globals['no-color'])})
  }

  /** The command failed: one report (line, stack under --debug, JSON under --json) and the exit code. */
  reportFailure(error: unknown): void {
    this.context?.progress.clear?.()
    const keError: KeError = thrownToKeError(error, this.usage ?? this.ownUsage())
    reportError(keError, {exit: this.supervisor.exitCodeAfter(keError), redact: (text) => this.redactor.redact(text), debug: this.debugging, noColor: Boolean(this.globals['no-color']), json: this.json})
  }

  /** After the command, whatever happened: drivers stopped, signal handlers gone. */
  async finish(): Promise<void> {
    await this.supervisor.stopAll()
    this.supervisor.dispose()
  }

  /** Usage errors of commands without driver flags still name the command's own help and flags. */
  private ownUsage(): UsageContext {
    return {flagNames: [...Object.keys({...this.spec.baseFlags, ...this.spec.flags}), 'json'], helpCommand: `ke ${this.id.replaceAll(':', ' ')} --help`}
  }
}

/** Every flag a command itself declares: its own, the global ones and --json. */
export function ownFlagsOf(spec: CommandSpec): Record<string, any> {
  return {...spec.baseFlags, ...spec.flags, ...(spec.enableJsonFlag ? {json: Flags.boolean()} : {})}
}

/** Names a driver option may not take as a flag: the command's own and the global ones. */
export function reservedFlagNamesOf(spec: CommandSpec): ReadonlySet<string> {
  return new Set([...Object.keys(ownFlagsOf(spec)), 'json', 'help'])
}

/** The global flags alone; never fails (a command line oclif refuses is then reported without them). */
export async function globalFlagsIn(argv: string[], globalFlags: Record<string, any>): Promise<Record<string, boolean | string | undefined>> {
  try {
    return (await parseEarly(argv, globalFlags)).flags
  } catch {
    return {}
  }
}

/** oclif's rule for JSON output: --json before any `--`, or KE_CONTENT_TYPE=json. */
export function jsonRequested(argv: string[], enableJsonFlag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (!enableJsonFlag) return false
  if (env.KE_CONTENT_TYPE?.toLowerCase() === 'json') return true
  const end = argv.indexOf('--')
  // --json=true is --json (withBooleanValues); oclif's own jsonEnabled() knows only the bare flag
  const json = argv.findIndex((arg) => arg === '--json' || (arg.startsWith('--json=') && booleanWord(arg.slice('--json='.length)) === true))
  return json !== -1 && (end === -1 || json < end)
}

// What every ke command shares: global flags, the command context (KE_HOME, store, redactor, progress,
// supervisor), and the one place errors are printed and turned into exit codes.
import {Command, Flags, type Interfaces} from '@oclif/core'
import type {Input, ParserOutput} from '@oclif/core/interfaces'
import {join} from 'node:path'
import type {LifecycleDeps, Progress} from '../cluster/deps.js'
import type {SessionContext} from '../driver/run/session.js'
import {Supervisor} from '../driver/run/supervisor.js'
import {reapOrphanDrivers} from '../driver/run/orphans.js'
import type {KeError} from '../errors.js'
import {Redactor} from '../redact.js'
import {FileStore} from '../store/file/file-store.js'
import type {ClusterStore} from '../store/cluster-store.js'
import {makeColors, type Colors} from '../ui/colors.js'
import {printErrorLine, reportError} from './report-error.js'
import {thrownToKeError, type UsageContext} from './errors.js'
import {showDriverWarning} from '../driver/run/driver-log.js'
import {parseEarly, withBooleanValues, type EarlyParse} from './early-flags.js'
import {makeProgress} from '../ui/progress.js'
import {driverFlag, driverRuntimeOf, storeFlag, timeoutsOf} from './common-flags.js'
import {openStore} from './open-store.js'
import {keHomeOf} from './ke-home.js'
import type {DriverSettings, SessionDriver} from '../cluster/flow.js'
import {withClusterDriver} from '../cluster/with-cluster.js'
import type {ClusterRecord} from '../store/cluster-record.js'

/** oclif's shape of parsed flags and args. */
type Parsed = {[name: string]: any}

export interface CommandContext extends SessionContext, LifecycleDeps {
  store: ClusterStore
  progress: Progress
  colors: Colors
  json: boolean
  debug: boolean
}

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    debug: Flags.boolean({description: 'stream driver logs and show stack traces on stderr', helpGroup: 'GLOBAL'}),
    quiet: Flags.boolean({description: 'print nothing on success but warnings (what a command is asked to show, such as a list or a count, is still shown)', helpGroup: 'GLOBAL'}),
    'no-color': Flags.boolean({description: 'no colours (also NO_COLOR=1)', helpGroup: 'GLOBAL'}),
    ...storeFlag,
  }

  private readonly redactor = new Redactor()
  private readonly supervisor = new Supervisor()
  private context: CommandContext | undefined
  /** --debug, --quiet, --no-color: read in init(), so that even a command line that fails to parse is reported as asked. */
  private globals: {debug?: boolean; quiet?: boolean; 'no-color'?: boolean; store?: string} = {}
  private store: ClusterStore | undefined
  /** ke's own flags from the latest parse: how the driver runs comes from them. */
  private parsedFlags: Record<string, any> = {}
  /** Set by commands whose flags depend on a driver, so an unknown flag can be matched to them. */
  protected usage: UsageContext | undefined

  protected async init(): Promise<void> {
    await super.init()
    this.supervisor.install()
    // drivers a killed ke left running are stopped by the next ke, whatever the command
    reapOrphanDrivers(join(this.keHome, 'run'))
    this.globals = await globalFlagsIn(this.argv, (this.constructor as typeof BaseCommand).baseFlags)
    this.store = await openStore(this.globals.store, this.keHome, process.env)
  }

  protected get keHome(): string {
    return keHomeOf(process.env)
  }

  /** ` --store X` when --store chose the store: a command line ke suggests must reach the same one. */
  protected get storeArgument(): string {
    const store = this.globals.store
    return store && store !== 'file' ? ` --store ${store}` : ''
  }

  protected get quiet(): boolean {
    return Boolean(this.globals.quiet)
  }

  private get debugging(): boolean {
    return Boolean(this.globals.debug) || process.env.KE_DEBUG === '1'
  }

  /** The context commands hand to the core. Built on first use. */
  protected ctx(): CommandContext {
    if (this.context) return this.context
    const json = this.jsonEnabled()
    const debug = this.debugging
    const colors = makeColors({noColor: Boolean(this.globals['no-color']), isTTY: Boolean(process.stderr.isTTY)})
    const quiet = this.quiet || json
    const home = this.keHome
    const progress = makeProgress({quiet, tty: Boolean(process.stderr.isTTY) && !process.env.CI, colors})
    this.context = {
      home,
      cwd: process.cwd(),
      env: process.env,
      store: this.store ?? new FileStore(home),
      redactor: this.redactor,
      supervisor: this.supervisor,
      progress,
      colors,
      json,
      debug,
      command: (this.id ?? 'ke').replaceAll(':', ' '),
      signal: this.supervisor.signal,
      // without --debug, only what a driver logs as a warning reaches the user (e.g. what rm left alone)
      debugStream: debug ? (line) => process.stderr.write(`${this.redactor.redact(line)}\n`) : (line) => showDriverWarning(line, progress),
    }
    return this.context
  }

  /** oclif's parse, remembering ke's own flags for driverSettings(). */
  protected async parse<F extends Parsed, B extends Parsed, A extends Parsed>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    const output = await super.parse(options, argv)
    this.parsedFlags = output.flags
    return output
  }

  /**
   * Phase one of the two-phase parse: ke's own flags, with the driver's left alone (it decides which
   * flags exist, and it is not started yet). Gives the driver, how to run it, and the cluster name.
   */
  protected async parseEarly(cmd: typeof BaseCommand, helpCommand: (early: Partial<EarlyParse>) => string): Promise<EarlyParse> {
    try {
      const early = await parseEarly(this.argv, BaseCommand.ownFlagsOf(cmd))
      this.parsedFlags = early.flags
      return early
    } catch (error) {
      // a bad value of one of ke's flags: its help still names the driver (or cluster) when that much parses
      const partial = await parseEarly(this.argv, {...cmd.baseFlags, ...driverFlag}).catch(() => ({}))
      throw thrownToKeError(error, {...this.ownUsage(), helpCommand: helpCommand(partial)})
    }
  }

  /** Every flag the command itself declares: its own, the global ones and --json. */
  static ownFlagsOf(cmd: typeof BaseCommand): Record<string, any> {
    return {...cmd.baseFlags, ...cmd.flags, ...(cmd.enableJsonFlag ? {json: Flags.boolean()} : {})}
  }

  /**
   * Parses with the driver's flags added to the command's own (phase two of the two-phase parse:
   * the driver decides which flags exist). Unknown flags are matched against both sets.
   */
  protected async parseWithDriverFlags(
    cmd: typeof BaseCommand,
    driverFlags: Record<string, any>,
    driverFlagNames: string[],
    helpCommand: string,
  ): Promise<{args: Record<string, string | undefined>; flags: Record<string, any>}> {
    const own = {...cmd.baseFlags, ...cmd.flags}
    this.usage = {flagNames: [...Object.keys(own), 'json', ...driverFlagNames], helpCommand}
    const argv = withBooleanValues(this.argv, {...own, ...driverFlags})
    try {
      const {args, flags} = await this.parse(
        {
          flags: {...own, ...driverFlags},
          baseFlags: cmd.baseFlags,
          enableJsonFlag: cmd.enableJsonFlag,
          args: cmd.args,
          strict: cmd.strict,
        },
        argv,
      )
      return {args: args as Record<string, string | undefined>, flags}
    } catch (error) {
      throw thrownToKeError(error, this.usage)
    }
  }

  /** Runs `work` with the stored cluster's driver started (and the cluster locked when `lock`), after parse(). */
  protected withCluster<T>(name: string, lock: boolean, work: (driver: SessionDriver, cluster: ClusterRecord) => Promise<T>): Promise<T> {
    const commandLine = `ke ${this.id} ${name}`
    return withClusterDriver(this.ctx(), name, {lock, commandLine, ...this.driverSettings()}, work)
  }

  /** Timeouts, environment and --attach for the driver, from the latest parse; --env values become secrets. */
  protected driverSettings(): DriverSettings {
    const runtime = driverRuntimeOf(this.parsedFlags)
    this.redactor.add(...runtime.secrets)
    return {...timeoutsOf(this.parsedFlags), driverEnv: runtime.driverEnv, attach: runtime.attach}
  }

  /** Names a driver option may not take as a flag: the command's own and the global ones. */
  static reservedFlagNamesOf(cmd: typeof BaseCommand): ReadonlySet<string> {
    return new Set([...Object.keys(BaseCommand.ownFlagsOf(cmd)), 'json', 'help'])
  }

  /** What was done, for people, on stdout: nothing with --quiet or --json. Secrets redacted. */
  protected print(text: string): void {
    if (!this.quiet) this.printAnswer(text)
  }

  /** What the command was asked to show (a table, a count, an export line): also with --quiet. */
  protected printAnswer(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(`${this.redactor.redact(text)}\n`)
  }

  public warn(text: string | Error): string | Error {
    this.ctx().progress.warn(this.redactor.redact(String(text instanceof Error ? text.message : text)))
    return text
  }

  protected toSuccessJson(result: unknown): unknown {
    return result
  }

  protected logJson(json: unknown): void {
    process.stdout.write(`${this.redactor.redact(JSON.stringify(json, null, 2))}\n`)
  }

  protected async catch(error: Interfaces.CommandError): Promise<void> {
    const keError: KeError = thrownToKeError(error, this.usage ?? this.ownUsage())
    const interrupted = this.supervisor.interruptedBy
    const exit = interrupted && keError.keCode !== 'CANCELLED' ? this.supervisor.exitCodeFor(interrupted) : keError.exitCode
    reportError(keError, {
      exit,
      redact: (text) => this.redactor.redact(text),
      debug: this.debugging,
      noColor: Boolean(this.globals['no-color']),
      json: this.jsonEnabled(),
    })
  }

  /** Usage errors of commands without driver flags still name the command's own help and flags. */
  private ownUsage(): UsageContext {
    const cmd = this.constructor as typeof BaseCommand
    return {flagNames: [...Object.keys({...cmd.baseFlags, ...cmd.flags}), 'json'], helpCommand: `ke ${(this.id ?? '').replaceAll(':', ' ')} --help`}
  }

  /** Prints one error as `Error: message (hint)` on stderr, redacted, for a command that goes on after it. */
  protected printError(keError: KeError): {message: string; hint?: string} {
    return printErrorLine(keError, {redact: (text) => this.redactor.redact(text), noColor: Boolean(this.globals['no-color'])})
  }

  protected async finally(error: Error | undefined): Promise<void> {
    await this.supervisor.stopAll()
    this.supervisor.dispose()
    return super.finally(error)
  }
}

/** The global flags alone; never fails (a command line oclif refuses is then reported without them). */
export async function globalFlagsIn(argv: string[], baseFlags: Record<string, any> = {...BaseCommand.baseFlags, json: Flags.boolean()}): Promise<Record<string, boolean | string | undefined>> {
  try {
    return (await parseEarly(argv, baseFlags)).flags
  } catch {
    return {}
  }
}

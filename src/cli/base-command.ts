// oclif's side of every ke command: the global flags, and a CommandSession (command-session.ts) that
// holds what the commands share (context, two-phase parse, output, the one error report). The commands
// bin/run.js answers without oclif run on the same session (src/cli/direct.ts).
import {Command, type Interfaces} from '@oclif/core'
import type {Input, ParserOutput} from '@oclif/core/interfaces'
import type {KeError} from '../errors.js'
import {CommandSession, GLOBAL_FLAGS, JSON_FLAG, jsonRequested, type CommandContext} from './command-session.js'
import type {EarlyParse} from './early-flags.js'
import type {DriverSettings, SessionDriver} from '../cluster/flow.js'
import type {ClusterRecord} from '../store/cluster-record.js'

export type {CommandContext} from './command-session.js'

/** oclif's shape of parsed flags and args. */
type Parsed = {[name: string]: any}

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true

  // oclif adds its own --json, before these, to a command that enables it; this one takes its place
  // (its help text is ke's), and a command that turns JSON off names GLOBAL_FLAGS alone to offer none
  static baseFlags: typeof GLOBAL_FLAGS & {json?: typeof JSON_FLAG} = {...GLOBAL_FLAGS, json: JSON_FLAG}

  private sessionOrUndefined: CommandSession | undefined

  /** The session of this run (made on first use: even a failing init() reports through it). */
  protected get session(): CommandSession {
    this.sessionOrUndefined ??= new CommandSession({
      id: this.id ?? 'ke',
      argv: this.argv,
      spec: this.constructor as typeof BaseCommand,
      globalFlags: GLOBAL_FLAGS,
      parse: (options, argv) => super.parse(options, argv),
      json: this.jsonEnabled(),
    })
    return this.sessionOrUndefined
  }

  /** Whether the output is JSON, as ke's commands run without oclif decide it. */
  public jsonEnabled(): boolean {
    return jsonRequested(this.argv, (this.constructor as typeof BaseCommand).enableJsonFlag, process.env)
  }

  protected async init(): Promise<void> {
    await super.init()
    await this.session.init()
  }

  protected get keHome(): string {
    return this.session.keHome
  }

  /** A ke command line to suggest, runnable as printed (CommandSession.suggestedCommand). */
  protected suggestedCommand(words: string): string {
    return this.session.suggestedCommand(words)
  }

  protected get quiet(): boolean {
    return this.session.quiet
  }

  /** The context commands hand to the core. Built on first use. */
  protected ctx(): CommandContext {
    return this.session.ctx()
  }

  /** oclif's parse, remembering ke's own flags for driverSettings(). */
  protected async parse<F extends Parsed, B extends Parsed, A extends Parsed>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    return this.session.parse(options ?? (this.constructor as unknown as Input<F, B, A>), argv)
  }

  /** Phase one of the two-phase parse (CommandSession.parseEarly). */
  protected async parseEarly(helpCommand: (early: Partial<EarlyParse>) => string): Promise<EarlyParse> {
    return this.session.parseEarly(helpCommand)
  }

  /** Phase two: with the driver's flags (CommandSession.parseWithDriverFlags). */
  protected async parseWithDriverFlags(driverFlags: Record<string, any>, driverFlagNames: string[], helpCommand: string) {
    return this.session.parseWithDriverFlags(driverFlags, driverFlagNames, helpCommand)
  }

  /** Runs `work` with the stored cluster's driver started (and the cluster locked when `lock`), after parse(). */
  protected withCluster<T>(name: string, lock: boolean, work: (driver: SessionDriver, cluster: ClusterRecord) => Promise<T>): Promise<T> {
    return this.session.withCluster(name, lock, work)
  }

  /** Timeouts, environment and --attach for the driver, from the latest parse; --env values become secrets. */
  protected driverSettings(): DriverSettings {
    return this.session.driverSettings()
  }

  /** What was done, for people, on stdout: nothing with --quiet or --json. Secrets redacted. */
  protected print(text: string): void {
    this.session.print(text)
  }

  /** What the command was asked to show (a table, a count, an export line): also with --quiet. */
  protected printAnswer(text: string): void {
    this.session.printAnswer(text)
  }

  public warn(text: string | Error): string | Error {
    this.session.warn(String(text instanceof Error ? text.message : text))
    return text
  }

  protected toSuccessJson(result: unknown): unknown {
    return result
  }

  protected logJson(json: unknown): void {
    this.session.printJson(json)
  }

  protected async catch(error: Interfaces.CommandError): Promise<void> {
    this.session.reportFailure(error)
  }

  /** Prints one error as `Error: message (hint)` on stderr, redacted, for a command that goes on after it. */
  protected printError(keError: KeError): {message: string; hint?: string} {
    return this.session.printError(keError)
  }

  protected async finally(error: Error | undefined): Promise<void> {
    await this.session.finish()
    return super.finally(error)
  }
}

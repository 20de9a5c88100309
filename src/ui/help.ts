// oclif's help, plus the driver's options under `ke create --driver D --help` and
// `ke update NAME --help`: the flags those commands take depend on the driver.
import {Flags, Help, type Command} from '@oclif/core'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'
import {toOptionSpecs} from '../driver/options/options.js'
import {schemaDriverName} from '../driver/options/rancher-schema.js'
import {openDriver} from '../driver/run/session.js'
import {withoutScriptSuffix} from '../driver/install/locate.js'
import {Supervisor} from '../driver/run/supervisor.js'
import {Redactor} from '../redact.js'
import {openStore} from '../cli/open-store.js'
import {boundDriver} from '../cluster/driver-binding.js'
import {parseEarly, type EarlyParse} from '../cli/early-flags.js'
import type {BaseCommand} from '../cli/base-command.js'
import {ownFlagsOf, reservedFlagNamesOf} from '../cli/command-session.js'
import {toCachedFlags} from '../cli/driver-flags.js'
import {EXIT_CODES_HELP, KeError} from '../errors.js'
import {OPTIONS_PEEK_TIMEOUT_MS, timeoutsOf} from '../cli/common-flags.js'
import {thrownToKeError} from '../cli/errors.js'
import {reportError} from '../cli/report-error.js'

const ROOT_EXAMPLES = `EXAMPLES
  $ ke create --driver sample my-cluster
  $ ke ls
  $ eval "$(ke env my-cluster)"
  $ ke rm -y my-cluster
`

/** A wait longer than this is said on stderr, naming the call. */
const WAIT_NOTICE_MS = 2_000

/** The heading of a driver's options, to which oclif adds FLAGS: `SAMPLE DRIVER FLAGS`, beside ke's `DRIVER PROCESS FLAGS`. */
function driverHelpGroup(ref: string): string {
  return `${withoutScriptSuffix(schemaDriverName(ref))} driver`
}

/** Commands whose flags include a driver's options, and which options: create's or update's. */
const DRIVER_COMMANDS = new Map([
  ['create', 'create'],
  ['update', 'update'],
  ['driver:verify', 'create'],
])

export default class KeHelp extends Help {
  private argv: string[] = []

  async showHelp(argv: string[]): Promise<void> {
    this.argv = argv
    return super.showHelp(argv)
  }

  async showCommandHelp(command: Command.Loadable): Promise<void> {
    await this.showCommandHelpWithDriver(command)
    this.log(`EXIT CODES\n${EXIT_CODES_HELP.split('\n').map((line) => `  ${line}`).join('\n')}\n`)
  }

  /** Each command once, its aliases beside it (`rm, remove`); oclif would list every alias as a command. */
  protected formatCommands(commands: Command.Loadable[]): string {
    const primary = commands.filter((command) => !command.aliases?.includes(command.id))
    const spaced = (id: string) => id.replaceAll(':', ' ')
    return super.formatCommands(primary.map((command) => ({...command, id: [command.id, ...(command.aliases ?? [])].map(spaced).join(', ')})))
  }

  protected async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    this.log(ROOT_EXAMPLES)
    this.log(`EXIT CODES\n${EXIT_CODES_HELP.split('\n').map((line) => `  ${line}`).join('\n')}\n`)
  }

  private async showCommandHelpWithDriver(command: Command.Loadable): Promise<void> {
    if (!DRIVER_COMMANDS.has(command.id)) return super.showCommandHelp(command)
    // the help is still shown, without the driver's options; the exit code says they are missing
    const extra = await this.driverFlags(command).catch((error: unknown) => {
      const keError = thrownToKeError(error)
      const noOptions = new KeError(keError.keCode, `the driver's options are not shown: ${keError.message}`, {exit: keError.exitCode, hint: keError.hint})
      reportError(noOptions, {exit: keError.exitCode, redact: (text) => text, debug: false, noColor: this.argv.includes('--no-color'), json: false})
      return {}
    })
    return super.showCommandHelp({...command, flags: {...command.flags, ...extra}} as Command.Loadable)
  }

  /** The command's own flags parsed as the command parses them first; --help and -h are flags here. */
  private async parseOwnFlags(command: Command.Loadable, cmd: typeof BaseCommand): Promise<EarlyParse> {
    // the command's words come first, unless a help flag does (`ke --help update x`)
    const argv = [...this.argv]
    for (const word of command.id.split(':')) if (argv.includes(word)) argv.splice(argv.indexOf(word), 1)
    return parseEarly(argv, {...ownFlagsOf(cmd), help: Flags.boolean({char: 'h'})})
  }

  /** The driver whose options the help lists: --driver, else (update) the stored cluster's, in the store --store names. */
  private async driverRef(commandId: string, early: EarlyParse, home: string): Promise<string | undefined> {
    const given: string | undefined = early.flags.driver
    if (given || commandId !== 'update') return given
    const store = await openStore(early.flags.store, home, process.env)
    const candidates = early.name.certain === undefined ? early.name.possible : [early.name.certain]
    for (const name of candidates) {
      // one read: a name that is not stored (or not a name) is passed over, an unreadable record is reported
      const record = await store.load(name).catch((error: unknown) => {
        if (error instanceof KeError && (error.keCode === 'CLUSTER_NOT_FOUND' || error.keCode === 'BAD_NAME')) return undefined
        throw error
      })
      if (record) return boundDriver(record.driver)
    }
    return undefined
  }

  private async driverFlags(command: Command.Loadable): Promise<Record<string, Command.Flag.Cached>> {
    const commandId = command.id
    const cmd = (await command.load()) as unknown as typeof BaseCommand
    const early = await this.parseOwnFlags(command, cmd)
    const home = resolve(process.env.KE_HOME || join(homedir(), '.ke'))
    const ref = await this.driverRef(commandId, early, home)
    if (!ref) return {}
    const supervisor = new Supervisor()
    // help should come quickly: a driver that never answers is given up on after a short while
    const timeouts = timeoutsOf(early.flags)
    const timeoutMs = timeouts.quickCallTimeoutMs ?? OPTIONS_PEEK_TIMEOUT_MS
    const driver = await openDriver({home, cwd: process.cwd(), env: process.env, redactor: new Redactor(), supervisor}, {ref, ...timeouts, quickCallTimeoutMs: timeoutMs})
    const update = DRIVER_COMMANDS.get(commandId) === 'update'
    const method = update ? 'GetDriverUpdateOptions' : 'GetDriverCreateOptions'
    const notice = setTimeout(() => {
      process.stderr.write(`Waiting for driver ${driver.name} to answer ${method} (at most ${timeoutMs / 1000} s; --timeout SECONDS changes that)\n`)
    }, WAIT_NOTICE_MS)
    try {
      const flags = update ? await driver.getUpdateOptions() : await driver.getCreateOptions()
      return toCachedFlags(toOptionSpecs(flags, driver.name, reservedFlagNamesOf(cmd)), driverHelpGroup(ref))
    } finally {
      clearTimeout(notice)
      await supervisor.stopAll()
    }
  }
}

import {Flags} from '@oclif/core'
import {KeError} from '../../errors.js'
import {KEY_STYLES, type KeyStyle} from '../../driver/options/option-values.js'
import {BaseCommand} from '../../cli/base-command.js'
import {reservedFlagNamesOf} from '../../cli/command-session.js'
import {DRIVER_HELP_GROUP, driverFlag, driverTimeoutFlags, timeoutsOf} from '../../cli/common-flags.js'
import {toOclifFlags} from '../../cli/driver-flags.js'
import {renderVerify} from '../../ui/views/verify.js'
import {interruptedVerify, runVerify} from '../../verify/run.js'
import {verifyFailure} from '../../verify/verify.js'

export default class DriverVerify extends BaseCommand {
  static summary = 'check that a driver keeps the cluster-driver contract'
  static description = [
    'Starts the driver and checks, each with pass, fail, warn or skip and a one-line reason: start-up (listens,',
    'answers GetCapabilities); options (known types, defaults of the right type, names unique in camelCase, no',
    'empty name part, usage text, secrets marked password); contract (unclaimed ETCD methods fail, claimed',
    'version and size methods exist). With --full it also makes a real cluster with the options given (the',
    "driver's options as flags, listed by `ke driver options --driver D`; KE_OPT_* variables; --config): Create,",
    'PostCheck (token, endpoint, metadata.state JSON), the claimed calls, then Remove, which runs even when a step',
    'fails.\n\nExits 0 when no check failed, 1 (VERIFY_FAILED) otherwise.',
  ].join(' ')

  static examples = [
    '<%= config.bin %> driver verify --driver ./kontainer-engine-driver-x',
    '<%= config.bin %> driver verify --full --driver sample --junit report.xml',
    '<%= config.bin %> driver verify --driver ./kontainer-engine-driver-x --check options --check contract.update-options',
    '<%= config.bin %> driver verify --full --driver ./kontainer-engine-driver-x --config cluster.yaml --json',
  ]

  static flags = {
    ...driverFlag,
    full: Flags.boolean({description: 'also run the lifecycle: create a real cluster, check it, remove it'}),
    config: Flags.string({description: 'JSON or YAML file of option values for --full (kebab-case or camelCase keys)'}),
    junit: Flags.string({description: 'also write the report as JUnit XML to this file, for CI'}),
    check: Flags.string({description: 'run only this check or group (e.g. options, contract.update-options); repeatable', multiple: true}),
    'key-style': Flags.string({description: 'send option keys as declared, as camelCase, or both', options: [...KEY_STYLES], helpGroup: DRIVER_HELP_GROUP}),
    ...driverTimeoutFlags,
  }

  async run() {
    const early = await this.parseEarly((partial) => `ke driver verify --driver ${partial.flags?.driver ?? 'D'} --help`)
    const ref: string | undefined = early.flags.driver
    if (!ref) {
      // `ke driver verify sample` reads like `ke driver check FILE`: name the flag it needs
      const word = early.name.certain ?? early.name.possible[0]
      const example = `ke driver verify --driver ${word ?? './kontainer-engine-driver-x'}`
      throw new KeError('MISSING_VALUE', word ? 'the driver to verify goes after --driver, not as an argument' : 'no driver given', {hint: `e.g. \`${example}\``})
    }
    const ctx = this.ctx()
    const report = await runVerify(ctx, {
      ref,
      timeouts: timeoutsOf(early.flags),
      reservedFlags: reservedFlagNamesOf(DriverVerify),
      unparsed: {full: Boolean(early.flags.full), junit: early.flags.junit},
      parse: async (specs) => {
        const {flags} = await this.parseWithDriverFlags(toOclifFlags(specs), specs.map((s) => s.flagName), `ke driver verify --driver ${ref} --help`)
        return {full: Boolean(flags.full), junit: flags.junit, checks: flags.check, config: flags.config, keyStyle: flags['key-style'] as KeyStyle | undefined, flags}
      },
      onCheck: early.flags.full ? (title) => ctx.progress.stage(title) : undefined,
      onWarning: (text) => this.warn(text),
    })
    ctx.progress.done()
    this.print(renderVerify(report, ctx.colors))
    const interrupted = ctx.supervisor.interruptedBy
    if (interrupted) throw interruptedVerify(report, ctx.supervisor.exitCodeFor(interrupted))
    const failure = verifyFailure(report)
    if (!failure) return report
    // a finding, not a crash: the report stays the output (under --json too, with the error added)
    throw new KeError(failure.keCode, failure.message, {driver: failure.driver, hint: failure.hint, result: report})
  }
}

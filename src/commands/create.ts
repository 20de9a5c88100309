import {Args, Flags} from '@oclif/core'
import {runCreate} from '../cluster/create-flow.js'
import {publicRecord} from '../cluster/public-record.js'
import {BaseCommand} from '../cli/base-command.js'
import {checkAccess} from '../kube/access.js'
import {requireInfo} from '../cluster/lifecycle.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags, checkAccessFlag} from '../cli/common-flags.js'
import {clusterSummary} from '../ui/views/cluster.js'
import {renderDryRun} from '../ui/views/dry-run.js'
import {createPrompts, isInteractive} from '../ui/prompts.js'
import {misspelledOwnFlag} from '../cli/errors.js'
import type {EarlyParse} from '../cli/early-flags.js'

/** `ke create --driver D --help` shows the driver's options as flags too. */
function helpCommand(early: Partial<EarlyParse>): string {
  return `ke create --driver ${early.flags?.driver ?? 'D'} --help`
}

export default class Create extends BaseCommand {
  static summary = 'create a cluster with a driver'
  static description = `Starts the driver, turns its options into flags (see them with --driver D --help), then runs Create and PostCheck, saving each status under $KE_HOME.
Running it again on a cluster whose create failed retries with what the driver returned; on a running cluster it fails.`

  static examples = [
    '<%= config.bin %> create --driver sample my-cluster',
    '<%= config.bin %> create --driver sample --node-count 5 --labels env=dev,team=a my-cluster',
    '<%= config.bin %> create --driver sample --help',
    '<%= config.bin %> create --driver sample --dry-run my-cluster',
  ]

  static args = {name: Args.string({description: 'cluster name: lower-case letters, digits and -, at most 63'})}
  static flags = {
    ...driverFlag,
    ...optionInputFlags,
    ...driverTimeoutFlags,
    ...driverRuntimeFlags,
    ...setFlags,
    ...checkAccessFlag,
    'display-name': Flags.string({description: 'displayName sent beside name (default: the cluster name)'}),
  }

  async run() {
    const early = await this.parseEarly(Create, helpCommand)
    const outcome = await runCreate(this.ctx(), {
      driver: early.flags.driver,
      name: early.name,
      reservedFlags: BaseCommand.reservedFlagNamesOf(Create),
      settings: this.driverSettings(),
      // issue 8: at a terminal, ask for a missing driver, name or secret instead of failing
      prompt: isInteractive(this.jsonEnabled()) ? createPrompts(this.ctx()) : undefined,
      misspelledFlag: misspelledOwnFlag(early.unknownFlags, {flagNames: [...BaseCommand.reservedFlagNamesOf(Create)], helpCommand: 'ke create --help'}),
      parse: (flags, names) => this.parseWithDriverFlags(Create, flags, names, helpCommand(early)),
    })
    if (outcome.dryRun) {
      for (const warning of outcome.warnings) this.warn(warning)
      this.print(renderDryRun(outcome))
      return outcome
    }
    const access = early.flags['check-access'] ? await checkAccess(outcome.cluster.name, requireInfo(outcome.cluster, 'check')) : undefined
    this.print(clusterSummary(outcome.cluster, this.ctx().colors, this.storeArgument))
    if (access) this.print(`  access:   ${access.server} answers (Kubernetes ${access.serverVersion}); the ${access.authentication} may list namespaces`)
    return {cluster: publicRecord(outcome.cluster), retried: outcome.retried, warnings: outcome.warnings, access}
  }
}

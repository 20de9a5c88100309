import {Args} from '@oclif/core'
import {runUpdate} from '../cluster/update-flow.js'
import {BaseCommand} from '../cli/base-command.js'
import {reservedFlagNamesOf} from '../cli/command-session.js'
import {showClusterOutcome} from '../cli/cluster-outcome.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags, checkAccessFlag} from '../cli/common-flags.js'
import type {EarlyParse} from '../cli/early-flags.js'

/** `ke update NAME --help` shows the driver's update options as flags too. */
function helpCommand(early: Partial<EarlyParse>): string {
  return `ke update ${early.name?.certain ?? early.name?.possible[0] ?? 'NAME'} --help`
}

export default class Update extends BaseCommand {
  static summary = "change a cluster with its driver's update options"
  static description = `Runs Update then PostCheck. Sends the options you give together with the options the cluster was created with (yours win; \`--dry-run\` shows where each value came from) and what the driver stored in the cluster's metadata, as Rancher does; see the update options with \`ke update NAME --help\`.`

  static examples = ['<%= config.bin %> update my-cluster --node-count 5', '<%= config.bin %> update my-cluster --help']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {...optionInputFlags, ...driverTimeoutFlags, ...driverFlag, ...driverRuntimeFlags, ...setFlags, ...checkAccessFlag}

  async run() {
    const early = await this.parseEarly(helpCommand)
    const outcome = await runUpdate(this.ctx(), {
      name: early.name,
      unknownFlags: early.unknownFlags,
      reservedFlags: reservedFlagNamesOf(Update),
      settings: this.driverSettings(),
      driver: early.flags.driver,
      parse: (flags, names) => this.parseWithDriverFlags(flags, names, helpCommand(early)),
    })
    return showClusterOutcome(this.session, outcome, Boolean(early.flags['check-access']))
  }
}

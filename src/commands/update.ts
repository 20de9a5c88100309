import {Args} from '@oclif/core'
import {publicRecord} from '../cluster/public-record.js'
import {runUpdate} from '../cluster/update-flow.js'
import {positionalCandidates, readDriverName} from '../ui/argv.js'
import {BaseCommand} from '../ui/base-command.js'
import {checkAccess} from '../kube/access.js'
import {requireInfo} from '../cluster/lifecycle.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags, checkAccessFlag} from '../ui/common-flags.js'
import {clusterSummary} from '../ui/views/cluster.js'
import {renderDryRun} from '../ui/views/dry-run.js'

export default class Update extends BaseCommand {
  static summary = "change a cluster with its driver's update options"
  static description = `Runs Update then PostCheck. Sends the options you give together with the options the cluster was created with (yours win; \`--dry-run\` shows where each value came from) and what the driver stored in the cluster's metadata, as Rancher does; see the update options with \`ke update NAME --help\`.`

  static examples = ['<%= config.bin %> update my-cluster --node-count 5', '<%= config.bin %> update my-cluster --help']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {...optionInputFlags, ...driverTimeoutFlags, ...driverFlag, ...driverRuntimeFlags, ...setFlags, ...checkAccessFlag}

  async run() {
    const outcome = await runUpdate(this.ctx(), {
      nameCandidates: positionalCandidates(this.argv),
      argv: this.argv,
      reservedFlags: BaseCommand.reservedFlagNames(Update),
      settings: this.driverSettings(),
      driver: readDriverName(this.argv),
      parse: (flags, names) => this.parseWithDriverFlags(Update, flags, names, `ke update ${positionalCandidates(this.argv)[0] ?? 'NAME'} --help`),
    })
    if (outcome.dryRun) {
      for (const warning of outcome.warnings) this.warn(warning)
      this.print(renderDryRun(outcome))
      return outcome
    }
    const access = this.hasFlag('check-access') ? await checkAccess(outcome.cluster.name, requireInfo(outcome.cluster, 'check')) : undefined
    this.print(clusterSummary(outcome.cluster, this.ctx().colors))
    if (access) this.print(`  access:   ${access.server} answers (Kubernetes ${access.serverVersion}); the ${access.authentication} may list namespaces`)
    return {cluster: publicRecord(outcome.cluster), warnings: outcome.warnings, access}
  }
}

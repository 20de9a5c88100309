import {Args} from '@oclif/core'
import {readCapabilities} from '../cluster/operations.js'
import {BaseCommand} from '../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../cli/common-flags.js'
import {renderCapabilities} from '../ui/views/capabilities.js'

export default class Capabilities extends BaseCommand {
  static summary = "what a cluster's driver can do (GetCapabilities and GetK8sCapabilities)"
  static examples = ['<%= config.bin %> capabilities my-cluster']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(Capabilities)
    const report = await this.withCluster(args.name, false, (driver) => readCapabilities(driver))
    this.printAnswer(renderCapabilities(report, this.ctx().colors))
    return {name: args.name, ...report}
  }
}

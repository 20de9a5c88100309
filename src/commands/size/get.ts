import {Args} from '@oclif/core'
import {getNodeCount} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class SizeGet extends BaseCommand {
  static aliases = ['get-cluster-size']
  static summary = "ask the driver for a cluster's node count"
  static examples = ['<%= config.bin %> size get my-cluster']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(SizeGet)
    const nodeCount = await this.withCluster(args.name, false, (driver, cluster) => getNodeCount(driver, cluster))
    this.printAnswer(String(nodeCount))
    return {name: args.name, nodeCount}
  }
}

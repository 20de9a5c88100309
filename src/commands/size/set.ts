import {Args} from '@oclif/core'
import {setNodeCount} from '../../cluster/operations.js'
import {parseIntValue} from '../../driver/options/options.js'
import {KeError} from '../../errors.js'
import {nodes} from '../../ui/views/cluster.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class SizeSet extends BaseCommand {
  static aliases = ['set-cluster-size']
  static summary = "change a cluster's node count through its driver"
  static examples = ['<%= config.bin %> size set my-cluster 5']
  static args = {
    name: Args.string({description: 'cluster name', required: true}),
    count: Args.string({description: 'number of nodes', required: true}),
  }

  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(SizeSet)
    const count = parseIntValue(args.count)
    if (count === undefined || count < 0) throw new KeError('BAD_ARGUMENT', `node count must be a whole number, got ${JSON.stringify(args.count)}`, {hint: 'e.g. ke size set my-cluster 5'})
    await this.withCluster(args.name, true, (driver, cluster) => setNodeCount(this.ctx(), driver, cluster, count))
    this.print(`Cluster ${args.name} has ${nodes(count)}`)
    return {name: args.name, nodeCount: count}
  }
}

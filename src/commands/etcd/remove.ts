import {Args} from '@oclif/core'
import {etcdSnapshot} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class EtcdRemove extends BaseCommand {
  static summary = "delete an etcd snapshot of a cluster"
  static examples = ['<%= config.bin %> etcd remove my-cluster nightly-1']
  static args = {
    name: Args.string({description: 'cluster name', required: true}),
    snapshot: Args.string({description: 'snapshot name', required: true}),
  }

  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(EtcdRemove)
    await this.withCluster(args.name, true, (driver, cluster) => etcdSnapshot(this.ctx(), driver, cluster, 'remove', args.snapshot))
    this.print(`etcd remove of ${args.snapshot} on ${args.name}: done`)
    return {name: args.name, snapshot: args.snapshot, action: 'remove'}
  }
}

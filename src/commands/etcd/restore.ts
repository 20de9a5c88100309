import {Args} from '@oclif/core'
import {etcdSnapshot} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class EtcdRestore extends BaseCommand {
  static summary = "restore a cluster's etcd from a snapshot"
  static examples = ['<%= config.bin %> etcd restore my-cluster nightly-1']
  static args = {
    name: Args.string({description: 'cluster name', required: true}),
    snapshot: Args.string({description: 'snapshot name', required: true}),
  }

  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(EtcdRestore)
    await this.withCluster(args.name, true, (driver, cluster) => etcdSnapshot(this.ctx(), driver, cluster, 'restore', args.snapshot))
    this.print(`etcd restore of ${args.snapshot} on ${args.name}: done`)
    return {name: args.name, snapshot: args.snapshot, action: 'restore'}
  }
}

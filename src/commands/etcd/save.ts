import {Args} from '@oclif/core'
import {etcdSnapshot} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class EtcdSave extends BaseCommand {
  static summary = "save an etcd snapshot of a cluster"
  static examples = ['<%= config.bin %> etcd save my-cluster nightly-1']
  static args = {
    name: Args.string({description: 'cluster name', required: true}),
    snapshot: Args.string({description: 'snapshot name', required: true}),
  }

  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(EtcdSave)
    await this.withCluster(args.name, true, (driver, cluster) => etcdSnapshot(this.ctx(), driver, cluster, 'save', args.snapshot))
    this.print(`etcd save of ${args.snapshot} on ${args.name}: done`)
    return {name: args.name, snapshot: args.snapshot, action: 'save'}
  }
}

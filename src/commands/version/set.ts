import {Args} from '@oclif/core'
import {setVersion} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class VersionSet extends BaseCommand {
  static aliases = ['set-version']
  static summary = "change a cluster's Kubernetes version through its driver"
  static examples = ['<%= config.bin %> version set my-cluster v1.31.0']
  static args = {
    name: Args.string({description: 'cluster name', required: true}),
    version: Args.string({description: 'Kubernetes version, as the driver names it', required: true}),
  }

  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(VersionSet)
    await this.withCluster(args.name, true, (driver, cluster) => setVersion(this.ctx(), driver, cluster, args.version))
    this.print(`Cluster ${args.name} is at Kubernetes ${args.version}`)
    return {name: args.name, version: args.version}
  }
}

import {Args} from '@oclif/core'
import {getVersion} from '../../cluster/operations.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../../cli/common-flags.js'

export default class VersionGet extends BaseCommand {
  static aliases = ['get-version']
  static summary = "ask the driver for a cluster's Kubernetes version"
  static examples = ['<%= config.bin %> version get my-cluster']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {...driverTimeoutFlags, ...driverRuntimeFlags}

  async run() {
    const {args} = await this.parse(VersionGet)
    const version = await this.withCluster(args.name, false, (driver, cluster) => getVersion(driver, cluster))
    this.printAnswer(version)
    return {name: args.name, version}
  }
}

import {Args} from '@oclif/core'
import {loadForReading, requireInfo} from '../cluster/lifecycle.js'
import {checkAccess} from '../kube/access.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Access extends BaseCommand {
  static summary = "check that a cluster's API answers with the credentials its driver returned"
  static description = 'Calls /version and asks the API (SelfSubjectAccessReview) whether those credentials may list namespaces.'
  static examples = ['<%= config.bin %> access my-cluster']
  static args = {name: Args.string({description: 'cluster name', required: true})}

  async run() {
    const {args} = await this.parse(Access)
    const report = await checkAccess(args.name, requireInfo(await loadForReading(this.ctx().store, args.name), 'check'))
    this.print(`Cluster ${args.name}: ${report.server} answers (Kubernetes ${report.serverVersion}); the ${report.authentication} may list namespaces`)
    return report
  }
}

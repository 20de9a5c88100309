import {Args} from '@oclif/core'
import {requireInfo} from '../cluster/lifecycle.js'
import {renderKubeConfig} from '../kube/kubeconfig.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Kubeconfig extends BaseCommand {
  static summary = 'print a standalone kubeconfig for a cluster (contains its credentials)'
  static examples = ['<%= config.bin %> kubeconfig my-cluster > my-cluster.yaml']
  static args = {name: Args.string({description: 'cluster name', required: true})}

  async run() {
    const {args} = await this.parse(Kubeconfig)
    const info = requireInfo(await this.ctx().store.load(args.name), 'export')
    const yaml = await renderKubeConfig(args.name, info)
    // the user asked for the credentials: printed as is, not through the redactor
    if (!this.jsonEnabled()) process.stdout.write(yaml)
    else process.stdout.write(`${JSON.stringify({name: args.name, kubeconfig: yaml}, null, 2)}\n`)
  }
}

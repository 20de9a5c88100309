import {Args} from '@oclif/core'
import {requireInfo} from '../cluster/lifecycle.js'
import {sharedKubeconfigPath, useInSharedKubeconfig} from '../kube/kubeconfig.js'
import {BaseCommand} from '../ui/base-command.js'

export default class Env extends BaseCommand {
  static summary = 'point kubectl at a cluster: prints `export KUBECONFIG=...` for eval'
  static description = 'Writes the cluster into $KE_HOME/kubeconfig, makes it the current context, and prints the export line.'
  static examples = ['eval "$(<%= config.bin %> env my-cluster)"']
  static args = {name: Args.string({description: 'cluster name', required: true})}

  async run() {
    const {args} = await this.parse(Env)
    const ctx = this.ctx()
    const info = requireInfo(ctx.store.load(args.name), 'use')
    const path = sharedKubeconfigPath(ctx.home)
    await useInSharedKubeconfig(path, args.name, info)
    this.printAnswer(`export KUBECONFIG=${JSON.stringify(path)}\n# run: eval "$(ke env ${args.name})"`)
    return {kubeconfig: path, context: args.name}
  }
}

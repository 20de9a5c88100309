import {Args} from '@oclif/core'
import {dirname} from 'node:path'
import {requireInfo} from '../cluster/lifecycle.js'
import {addToSharedKubeconfig, clusterKubeconfigPath, sharedKubeconfigPath, writeClusterKubeconfig} from '../kube/kubeconfig.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Env extends BaseCommand {
  static summary = 'point kubectl in this shell at a cluster: prints `export KUBECONFIG=...` for eval'
  static description = `Writes the cluster's own kubeconfig ($KE_HOME/clusters/NAME/kubeconfig, 0600) and prints the export line: only the shell that evaluates it talks to that cluster, so shells and CI jobs sharing a KE_HOME never cross. The cluster is also added as a context to $KE_HOME/kubeconfig, whose current context it sets only when there is none. \`ke rm NAME\` removes both.`

  static examples = ['eval "$(<%= config.bin %> env my-cluster)"']
  static args = {name: Args.string({description: 'cluster name', required: true})}

  async run() {
    const {args} = await this.parse(Env)
    const ctx = this.ctx()
    const info = requireInfo(await ctx.store.load(args.name), 'use')
    // this machine's files of a cluster live beside its driver log, whichever store keeps the record
    const path = clusterKubeconfigPath(dirname(ctx.store.logPath(args.name)))
    await writeClusterKubeconfig(path, args.name, info)
    await addToSharedKubeconfig(sharedKubeconfigPath(ctx.home), args.name, info)
    const exportLine = `export KUBECONFIG=${JSON.stringify(path)}`
    // the reminder of how to use the line is for people; --quiet asks for the line alone
    this.printAnswer(this.quiet ? exportLine : `${exportLine}\n# run: eval "$(${this.suggestedCommand(`env ${args.name}`)})"`)
    return {kubeconfig: path, context: args.name}
  }
}

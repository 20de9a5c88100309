import {BaseCommand} from '../cli/base-command.js'
import {envCommand} from '../cli/direct/env.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run envCommand
export default class Env extends BaseCommand {
  static summary = 'point kubectl in this shell at a cluster: prints `export KUBECONFIG=...` for eval'
  static description = `Writes the cluster's own kubeconfig ($KE_HOME/clusters/NAME/kubeconfig, 0600) and prints the export line: only the shell that evaluates it talks to that cluster, so shells and CI jobs sharing a KE_HOME never cross. The cluster is also added as a context to $KE_HOME/kubeconfig, whose current context it sets only when there is none. \`ke rm NAME\` removes both.`

  static examples = ['eval "$(<%= config.bin %> env my-cluster)"']
  static args = envCommand.spec.args

  async run() {
    return envCommand.run(this.session)
  }
}

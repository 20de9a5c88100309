import {BaseCommand} from '../cli/base-command.js'
import {kubeconfigCommand} from '../cli/direct/kubeconfig.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run kubeconfigCommand
export default class Kubeconfig extends BaseCommand {
  static summary = 'print a standalone kubeconfig for a cluster (contains its credentials)'
  static examples = ['<%= config.bin %> kubeconfig my-cluster > my-cluster.yaml']
  static args = kubeconfigCommand.spec.args

  async run() {
    return kubeconfigCommand.run(this.session)
  }
}

import {BaseCommand} from '../cli/base-command.js'
import {logsCommand} from '../cli/direct/logs.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run logsCommand
export default class Logs extends BaseCommand {
  static summary = "print a cluster's driver log"
  static description = [
    'Every command that runs the cluster\'s driver (create, update, rm, size, version, etcd ...) appends the',
    'driver\'s output to a log on the machine that ran it, secrets redacted: $KE_HOME/clusters/NAME/driver.log on the',
    'file store, $KE_HOME/kubernetes/CONTEXT/NAMESPACE/NAME/driver.log on a Kubernetes store (where a failure\'s',
    'last lines also go into the Cluster\'s status.lastError and an Event). --follow keeps printing what is',
    'appended, e.g. while `ke create` runs in another shell, until Ctrl-C (exit 0) or until the cluster is removed.',
  ].join(' ')

  static examples = ['<%= config.bin %> logs my-cluster', '<%= config.bin %> logs my-cluster --lines 50', '<%= config.bin %> logs my-cluster --follow']
  static args = logsCommand.spec.args
  static flags = logsCommand.spec.flags

  async run() {
    return logsCommand.run(this.session)
  }
}

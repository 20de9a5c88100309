import {BaseCommand} from '../../cli/base-command.js'
import {etcdRestoreCommand} from '../../cli/direct/driver-changes.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run etcdRestoreCommand
export default class EtcdRestore extends BaseCommand {
  static summary = "restore a cluster's etcd from a snapshot"
  static examples = ['<%= config.bin %> etcd restore my-cluster nightly-1']
  static args = etcdRestoreCommand.spec.args
  static flags = etcdRestoreCommand.spec.flags

  async run() {
    return etcdRestoreCommand.run(this.session)
  }
}

import {BaseCommand} from '../../cli/base-command.js'
import {etcdRemoveCommand} from '../../cli/direct/driver-changes.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run etcdRemoveCommand
export default class EtcdRemove extends BaseCommand {
  static summary = "delete an etcd snapshot of a cluster"
  static examples = ['<%= config.bin %> etcd remove my-cluster nightly-1']
  static args = etcdRemoveCommand.spec.args
  static flags = etcdRemoveCommand.spec.flags

  async run() {
    return etcdRemoveCommand.run(this.session)
  }
}

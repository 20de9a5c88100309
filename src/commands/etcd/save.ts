import {BaseCommand} from '../../cli/base-command.js'
import {etcdSaveCommand} from '../../cli/direct/driver-changes.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run etcdSaveCommand
export default class EtcdSave extends BaseCommand {
  static summary = "save an etcd snapshot of a cluster"
  static examples = ['<%= config.bin %> etcd save my-cluster nightly-1']
  static args = etcdSaveCommand.spec.args
  static flags = etcdSaveCommand.spec.flags

  async run() {
    return etcdSaveCommand.run(this.session)
  }
}

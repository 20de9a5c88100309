import {BaseCommand} from '../../cli/base-command.js'
import {sizeSetCommand} from '../../cli/direct/driver-changes.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run sizeSetCommand
export default class SizeSet extends BaseCommand {
  static aliases = ['set-cluster-size']
  static summary = "change a cluster's node count through its driver"
  static examples = ['<%= config.bin %> size set my-cluster 5']
  static args = sizeSetCommand.spec.args
  static flags = sizeSetCommand.spec.flags

  async run() {
    return sizeSetCommand.run(this.session)
  }
}

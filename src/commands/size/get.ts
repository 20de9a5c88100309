import {BaseCommand} from '../../cli/base-command.js'
import {sizeGetCommand} from '../../cli/direct/driver-queries.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run sizeGetCommand
export default class SizeGet extends BaseCommand {
  static aliases = ['get-cluster-size']
  static summary = "ask the driver for a cluster's node count"
  static examples = ['<%= config.bin %> size get my-cluster']
  static args = sizeGetCommand.spec.args
  static flags = sizeGetCommand.spec.flags

  async run() {
    return sizeGetCommand.run(this.session)
  }
}

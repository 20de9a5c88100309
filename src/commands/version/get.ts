import {BaseCommand} from '../../cli/base-command.js'
import {versionGetCommand} from '../../cli/direct/driver-queries.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run versionGetCommand
export default class VersionGet extends BaseCommand {
  static aliases = ['get-version']
  static summary = "ask the driver for a cluster's Kubernetes version"
  static examples = ['<%= config.bin %> version get my-cluster']
  static args = versionGetCommand.spec.args
  static flags = versionGetCommand.spec.flags

  async run() {
    return versionGetCommand.run(this.session)
  }
}

import {BaseCommand} from '../../cli/base-command.js'
import {versionSetCommand} from '../../cli/direct/driver-changes.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run versionSetCommand
export default class VersionSet extends BaseCommand {
  static aliases = ['set-version']
  static summary = "change a cluster's Kubernetes version through its driver"
  static examples = ['<%= config.bin %> version set my-cluster v1.31.0']
  static args = versionSetCommand.spec.args
  static flags = versionSetCommand.spec.flags

  async run() {
    return versionSetCommand.run(this.session)
  }
}

import {BaseCommand} from '../cli/base-command.js'
import {capabilitiesCommand} from '../cli/direct/driver-queries.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run capabilitiesCommand
export default class Capabilities extends BaseCommand {
  static summary = "what a cluster's driver can do (GetCapabilities and GetK8sCapabilities)"
  static examples = ['<%= config.bin %> capabilities my-cluster']
  static args = capabilitiesCommand.spec.args
  static flags = capabilitiesCommand.spec.flags

  async run() {
    return capabilitiesCommand.run(this.session)
  }
}

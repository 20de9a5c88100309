import {BaseCommand} from '../cli/base-command.js'
import {inspectCommand} from '../cli/direct/inspect.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run inspectCommand
export default class Inspect extends BaseCommand {
  static summary = "print a cluster's record as JSON (secrets redacted)"
  static examples = ['<%= config.bin %> inspect my-cluster', '<%= config.bin %> inspect my-cluster --show-secrets']
  static args = inspectCommand.spec.args
  static flags = inspectCommand.spec.flags

  async run() {
    return inspectCommand.run(this.session)
  }
}

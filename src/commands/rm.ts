import {BaseCommand} from '../cli/base-command.js'
import {rmCommand} from '../cli/direct/rm.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run rmCommand
export default class Rm extends BaseCommand {
  static aliases = ['remove']
  static summary = 'remove clusters: driver Remove, then local state'
  static description = 'Tries every name, reports each, and exits with the worst exit code among them.'
  static examples = ['<%= config.bin %> rm -y my-cluster', '<%= config.bin %> rm -f -y broken-cluster other-cluster', '<%= config.bin %> rm -y --ignore-not-found ci-cluster']
  static strict = false
  static args = rmCommand.spec.args
  static flags = rmCommand.spec.flags

  async run() {
    return rmCommand.run(this.session)
  }
}

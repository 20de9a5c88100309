import {BaseCommand} from '../cli/base-command.js'
import {lsCommand} from '../cli/direct/ls.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run lsCommand
export default class Ls extends BaseCommand {
  static aliases = ['list']
  static summary = 'list clusters'
  static examples = ['<%= config.bin %> ls', '<%= config.bin %> ls --filter status=Error -q', '<%= config.bin %> ls --json']
  static flags = lsCommand.spec.flags

  async run() {
    return lsCommand.run(this.session)
  }
}

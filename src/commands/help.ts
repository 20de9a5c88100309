import {loadHelpClass} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {GLOBAL_FLAGS} from '../cli/command-session.js'
import {unknownCommand} from '../cli/unknown-command.js'

export default class HelpCommand extends BaseCommand {
  static summary = 'show help for ke or a command (the same as COMMAND --help)'
  static examples = ['<%= config.bin %> help create', '<%= config.bin %> help create --driver sample']
  static strict = false
  static enableJsonFlag = false

  static baseFlags = GLOBAL_FLAGS

  async run(): Promise<void> {
    const firstFlag = this.argv.findIndex((arg) => arg.startsWith('-'))
    const words = firstFlag === -1 ? this.argv : this.argv.slice(0, firstFlag)
    // `help update my-cluster` is help for `update`; `help driver chek` names no command
    const known = words.map((_, i) => words.slice(0, words.length - i).join(':')).find((id) => this.config.findCommand(id) || this.config.findTopic(id))
    if (words.length > 0 && (!known || (!this.config.findCommand(known) && known !== words.join(':')))) throw unknownCommand(words.join(':'), this.config)
    const Help = await loadHelpClass(this.config)
    await new Help(this.config, this.config.pjson.oclif.helpOptions).showHelp(this.argv)
  }
}

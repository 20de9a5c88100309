import {Flags} from '@oclif/core'
import {clusterNames} from '../cluster/names.js'
import {BaseCommand} from '../cli/base-command.js'
import {clusterCommands, completionScript, SHELLS, type CommandShape} from '../cli/completion.js'

/** Hidden helper of shell completion: cluster names one per line, or (--shell) the script that uses them. */
export default class CompleteClusters extends BaseCommand {
  static hidden = true
  static summary = 'cluster names for shell completion, one per line'
  static examples = ['<%= config.bin %> __complete-clusters', 'eval "$(<%= config.bin %> __complete-clusters --shell bash)"']
  static flags = {
    shell: Flags.string({description: 'print the completion function for this shell instead', options: [...SHELLS]}),
  }

  async run(): Promise<string[]> {
    const {flags} = await this.parse(CompleteClusters)
    if (flags.shell) {
      const commands = clusterCommands(this.config.commands as unknown as CommandShape[])
      this.printAnswer(completionScript(flags.shell as (typeof SHELLS)[number], this.config.bin, commands))
      return []
    }
    const names = await clusterNames(this.ctx().store)
    if (names.length) this.printAnswer(names.join('\n'))
    return names
  }
}

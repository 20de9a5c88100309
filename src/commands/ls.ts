import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {listRows, listText, parseFilter, unreadableWarnings} from '../cli/list-clusters.js'
import type {ClusterRow} from '../ui/views/cluster.js'

// bin/run.js answers the plain forms of this command without oclif (src/cli/fast-ls.ts): a flag added
// here must be added there too, or that form falls through to this command (fast-ls knows only these)
export default class Ls extends BaseCommand {
  static aliases = ['list']
  static summary = 'list clusters'
  static examples = ['<%= config.bin %> ls', '<%= config.bin %> ls --filter status=Error -q', '<%= config.bin %> ls --json']
  static flags = {
    quiet: Flags.boolean({char: 'q', description: 'print names only'}),
    filter: Flags.string({description: 'only clusters whose name, driver or status equals the value (key=value)', multiple: true, multipleNonGreedy: true}),
  }

  async run(): Promise<ClusterRow[]> {
    const {flags} = await this.parse(Ls)
    const rows = await listRows(this.ctx().store, (flags.filter ?? []).map(parseFilter))
    const text = listText(rows, {names: Boolean(flags.quiet), colors: this.ctx().colors})
    if (text !== undefined) this.printAnswer(text)
    for (const warning of unreadableWarnings(rows)) this.warn(warning)
    return rows
  }
}

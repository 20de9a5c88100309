import {Flags} from '@oclif/core'
import {KeError} from '../errors.js'
import {listCurrent} from '../cluster/live-status.js'
import {BaseCommand} from '../cli/base-command.js'
import {renderClusterTable, toRow, type ClusterRow} from '../ui/views/cluster.js'

const FILTER_KEYS = ['name', 'driver', 'status'] as const

function parseFilter(text: string): [keyof ClusterRow, string] {
  const [key, ...rest] = text.split('=')
  if (!(FILTER_KEYS as readonly string[]).includes(key) || rest.length === 0) {
    throw new KeError('BAD_FLAG', `--filter ${JSON.stringify(text)} is not key=value with key one of ${FILTER_KEYS.join(', ')}`, {hint: 'e.g. --filter status=Running'})
  }
  return [key as keyof ClusterRow, rest.join('=')]
}

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
    const filters = (flags.filter ?? []).map(parseFilter)
    const rows = (await listCurrent(this.ctx().store))
      .map(toRow)
      .filter((row) => filters.every(([key, value]) => String(row[key]) === value))
    if (flags.quiet) {
      if (rows.length > 0) this.printAnswer(rows.map((row) => row.name).join('\n'))
    }
    else this.printAnswer(renderClusterTable(rows, this.ctx().colors))
    for (const row of rows) if (row.status === 'unreadable') this.warn(`${row.reason}; run \`ke rm -f ${row.name}\``)
    return rows
  }
}

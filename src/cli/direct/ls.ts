// `ke ls`: what the oclif command (src/commands/ls.ts) and bin/run.js's direct path both run.
import {Flags} from '@oclif/core'
import type {ClusterRow} from '../../ui/views/cluster.js'
import {listRows, listText, parseFilter, unreadableWarnings} from '../list-clusters.js'
import {GLOBAL_FLAGS, type CommandSession} from '../command-session.js'
import type {DirectCommand} from './direct-command.js'

const spec = {
  baseFlags: GLOBAL_FLAGS,
  enableJsonFlag: true,
  flags: {
    quiet: Flags.boolean({char: 'q', description: 'print names only'}),
    filter: Flags.string({description: 'only clusters whose name, driver or status equals the value (key=value)', multiple: true, multipleNonGreedy: true}),
  },
}

async function run(session: CommandSession): Promise<ClusterRow[]> {
  const {flags} = await session.parse(spec)
  const rows = await listRows(session.ctx().store, (flags.filter ?? []).map(parseFilter))
  const text = listText(rows, {names: Boolean(flags.quiet), colors: session.ctx().colors})
  if (text !== undefined) session.printAnswer(text)
  for (const warning of unreadableWarnings(rows)) session.warn(warning)
  return rows
}

export const lsCommand = {id: 'ls', spec, run} satisfies DirectCommand

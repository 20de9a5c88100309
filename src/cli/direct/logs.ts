// `ke logs NAME`: what the oclif command (src/commands/logs.ts) and bin/run.js's direct path both run
// (a CI job prints a failed cluster's driver log).
import {Flags} from '@oclif/core'
import {clusterLogPath, followLog, parseLineCount, readLog} from '../../cluster/logs.js'
import {KeError} from '../../errors.js'
import type {CommandSession} from '../command-session.js'
import {ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

const spec = {
  ...ONE_CLUSTER_SPEC,
  flags: {
    follow: Flags.boolean({char: 'f', description: 'keep printing lines as the driver writes them, until Ctrl-C'}),
    lines: Flags.string({char: 'n', description: 'only the last LINES lines (default: the whole log)'}),
  },
}

/** Aborts when whoever reads stdout goes away (`ke logs -f NAME | head`): following for nobody never ends. */
function readerGone(): AbortSignal {
  const controller = new AbortController()
  process.stdout.once('error', () => controller.abort())
  return controller.signal
}

async function run(session: CommandSession): Promise<{cluster: string; path: string; lines: string[]}> {
  const {args, flags} = await session.parse(spec)
  if (flags.follow && session.jsonEnabled()) throw new KeError('BAD_FLAG', '--follow cannot be combined with --json', {hint: 'drop one of them'})
  const {store, supervisor} = session.ctx()
  const path = await clusterLogPath(store, args.name)
  const log = await readLog(path, parseLineCount(flags.lines))
  if (!session.jsonEnabled()) process.stdout.write(log.text)
  if (flags.follow) {
    const signal = AbortSignal.any([supervisor.signal, readerGone()])
    const end = await followLog(path, {offset: log.offset, signal, write: (text) => process.stdout.write(text), clusterExists: () => store.exists(args.name)})
    if (end === 'removed') session.warn(`cluster ${args.name} was removed; its log is gone`)
  }
  return {cluster: args.name, path, lines: log.text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1)}
}

export const logsCommand = {id: 'logs', spec, run} satisfies DirectCommand

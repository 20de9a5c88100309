import {Args, Flags} from '@oclif/core'
import {clusterLogPath, followLog, parseLineCount, readLog} from '../cluster/logs.js'
import {KeError} from '../errors.js'
import {BaseCommand} from '../cli/base-command.js'

/** Aborts when whoever reads stdout goes away (`ke logs -f NAME | head`): following for nobody never ends. */
function readerGone(): AbortSignal {
  const controller = new AbortController()
  process.stdout.once('error', () => controller.abort())
  return controller.signal
}

export default class Logs extends BaseCommand {
  static summary = "print a cluster's driver log"
  static description = [
    'Every command that runs the cluster\'s driver (create, update, rm, size, version, etcd ...) appends the',
    'driver\'s output to a log on the machine that ran it, secrets redacted: $KE_HOME/clusters/NAME/driver.log on the',
    'file store, $KE_HOME/kubernetes/CONTEXT/NAMESPACE/NAME/driver.log on a Kubernetes store (where a failure\'s',
    'last lines also go into the Cluster\'s status.lastError and an Event). --follow keeps printing what is',
    'appended, e.g. while `ke create` runs in another shell, until Ctrl-C (exit 0) or until the cluster is removed.',
  ].join(' ')

  static examples = ['<%= config.bin %> logs my-cluster', '<%= config.bin %> logs my-cluster --lines 50', '<%= config.bin %> logs my-cluster --follow']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {
    follow: Flags.boolean({char: 'f', description: 'keep printing lines as the driver writes them, until Ctrl-C'}),
    lines: Flags.string({char: 'n', description: 'only the last LINES lines (default: the whole log)'}),
  }

  async run(): Promise<{cluster: string; path: string; lines: string[]}> {
    const {args, flags} = await this.parse(Logs)
    if (flags.follow && this.jsonEnabled()) throw new KeError('BAD_FLAG', '--follow cannot be combined with --json', {hint: 'drop one of them'})
    const {store, supervisor} = this.ctx()
    const path = await clusterLogPath(store, args.name)
    const log = await readLog(path, parseLineCount(flags.lines))
    if (!this.jsonEnabled()) process.stdout.write(log.text)
    if (flags.follow) {
      const signal = AbortSignal.any([supervisor.signal, readerGone()])
      const end = await followLog(path, {offset: log.offset, signal, write: (text) => process.stdout.write(text), clusterExists: () => store.exists(args.name)})
      if (end === 'removed') this.warn(`cluster ${args.name} was removed; its log is gone`)
    }
    return {cluster: args.name, path, lines: log.text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1)}
  }
}

import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {parseDuration} from '../../controller/duration.js'
import {serveController} from '../../controller/serve.js'
import {KeError} from '../../errors.js'
import {resolveStoreSpec} from '../../store/store-spec.js'

export default class Controller extends BaseCommand {
  static summary = 'reconcile Cluster objects (clusters.ke.io) through ke\'s lifecycle and drivers'
  static description =
    'Watches Cluster objects and creates, updates and removes their clusters with the same drivers `ke create` uses. ' +
    'The kubeconfig is found as kubectl finds it (KUBECONFIG, ~/.kube/config, or the pod\'s service account); `--store kubernetes:CONTEXT/NS` picks a context. ' +
    'SIGTERM or Ctrl-C: no new work is taken, driver calls under way get --shutdown-grace, then ke stops and exits 0 ' +
    '(not the 143 or 130 of EXIT CODES below, which are for commands cut short: a controller asked to stop has done its job).'

  static examples = [
    '<%= config.bin %> controller --namespace ke-clusters',
    '<%= config.bin %> controller --store kubernetes:prod/ke-clusters --no-leader-elect --shutdown-grace 2m',
    '<%= config.bin %> controller --all-namespaces --workers 4 --probe-address :8080 --log-format json',
  ]

  static enableJsonFlag = false

  static flags = {
    namespace: Flags.string({char: 'n', description: 'watch Cluster objects in this namespace (default: the context\'s namespace)', exclusive: ['all-namespaces']}),
    'all-namespaces': Flags.boolean({char: 'A', description: 'watch Cluster objects in every namespace'}),
    workers: Flags.integer({description: 'clusters worked on at once', default: 2, min: 1, max: 64}),
    'shutdown-grace': Flags.string({description: 'on SIGTERM, how long driver calls under way may go on (e.g. 30s, 2m)', default: '30s'}),
    'probe-address': Flags.string({description: 'serve /healthz, /readyz and /metrics at host:port (e.g. :8080, 127.0.0.1:0)'}),
    'log-format': Flags.string({description: 'log lines as text or one JSON object a line', options: ['text', 'json'], default: 'text'}),
    json: Flags.boolean({description: 'the same as --log-format json (the log is the only output)'}),
    'leader-elect': Flags.boolean({description: 'of several replicas, only the one holding the leader Lease works (on by default; --no-leader-elect: this replica works alone)', default: true, allowNo: true}),
    'lease-namespace': Flags.string({description: 'namespace of the leader Lease (default: the watched namespace)'}),
    identity: Flags.string({description: 'this replica\'s name in the leader Lease (default: host/pid)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Controller)
    const graceMs = parseDuration(flags['shutdown-grace'], '--shutdown-grace')
    const spec = resolveStoreSpec(flags.store, process.env)
    if (flags.store !== undefined && spec.kind !== 'kubernetes') throw new KeError('BAD_FLAG', '`ke controller` works on the Kubernetes store only', {hint: 'use --store kubernetes[:CONTEXT][/NAMESPACE], or leave it out'})
    const ctx = this.ctx()
    const stop = new AbortController()
    // the first SIGTERM/SIGINT winds down gracefully; a second one stops at once (the supervisor's rule)
    const undo = ctx.supervisor.defer({onFirst: () => stop.abort(), onSecond: () => {}})
    try {
      await serveController({
        env: process.env,
        store: spec.kind === 'kubernetes' ? spec : {kind: 'kubernetes'},
        namespace: flags.namespace,
        allNamespaces: flags['all-namespaces'],
        workers: flags.workers,
        graceMs,
        probeAddress: flags['probe-address'],
        json: flags.json || flags['log-format'] === 'json',
        leaderElect: flags['leader-elect'],
        leaseNamespace: flags['lease-namespace'],
        identity: flags.identity,
        session: ctx,
        stop: stop.signal,
      })
    } finally {
      undo()
    }
  }
}

// Running `ke controller` as a process: kubeconfig as kubectl finds it (or the pod's service account),
// logs, Events, /healthz /readyz /metrics, leader election, and the stop on SIGTERM.
import type {SessionContext} from '../driver/run/session.js'
import {reuseConnections} from '../kube/reuse-connections.js'
import {loadKubeConfig, selectTarget} from '../store/kubernetes/connect.js'
import {EventRecorder} from '../store/kubernetes/events.js'
import type {KubernetesStoreSpec} from '../store/store-spec.js'
import {Controller} from './controller.js'
import {DEFAULT_LEASE_NAME, defaultIdentity, runAsLeader} from './leader-election.js'
import {createLogger} from './log.js'
import {createMetrics} from './metrics.js'
import {startProbeServer} from './probe-server.js'
import {checkBeforeStart} from './start-check.js'

export interface ServeOptions {
  env: NodeJS.ProcessEnv
  /** Which kubeconfig context (and default namespace): `--store kubernetes:CONTEXT/NS`. */
  store: KubernetesStoreSpec
  /** --namespace; else the store's or context's namespace. */
  namespace?: string
  allNamespaces: boolean
  workers: number
  graceMs: number
  /** host:port for /healthz /readyz /metrics; none when unset. */
  probeAddress?: string
  json: boolean
  leaderElect: boolean
  leaseNamespace?: string
  identity?: string
  session: SessionContext
  /** Aborted by the first SIGTERM/SIGINT. */
  stop: AbortSignal
}

function untilAborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((s) => s.aborted)) return resolve()
    for (const signal of signals) signal.addEventListener('abort', () => resolve(), {once: true})
  })
}

export async function serveController(opts: ServeOptions): Promise<void> {
  // thousands of requests: over kept-alive connections, not a TLS handshake each (reuse-connections.ts)
  const target = selectTarget(reuseConnections(await loadKubeConfig(opts.env)), opts.store)
  const {kc} = target
  const namespace = opts.allNamespaces ? undefined : (opts.namespace ?? target.namespace)
  const leaseNamespace = opts.leaseNamespace ?? namespace ?? target.namespace
  try {
    await checkBeforeStart(kc, {namespace, leaseNamespace: opts.leaderElect ? leaseNamespace : undefined}, opts.stop)
  } catch (error) {
    // stopped while checking: nothing was started, nothing to report
    if (!opts.stop.aborted) throw error
  }
  if (opts.stop.aborted) return
  const log = createLogger({json: opts.json, redact: (text) => opts.session.redactor.redact(text)})
  const metrics = await createMetrics()
  const {CoreV1Api} = await import('@kubernetes/client-node')
  const events = new EventRecorder(kc.makeApiClient(CoreV1Api), 'ke-controller')
  const controller = new Controller({kc, namespace, workers: opts.workers, session: opts.session, events, log, metrics})
  let leading = false
  const probes = opts.probeAddress
    ? await startProbeServer({address: opts.probeAddress, metrics, healthy: () => true, ready: () => (leading ? controller.isReady() : opts.leaderElect)})
    : undefined
  if (probes) log.info('probes listening', {address: opts.probeAddress, port: probes.port})

  const lead = async (lost?: AbortSignal) => {
    leading = true
    metrics.setLeader(true)
    await controller.start()
    await untilAborted(opts.stop, ...(lost ? [lost] : []))
    await controller.stop(opts.graceMs)
    leading = false
    metrics.setLeader(false)
  }
  try {
    if (!opts.leaderElect) return await lead()
    await runAsLeader({kc, namespace: leaseNamespace, leaseName: DEFAULT_LEASE_NAME, identity: opts.identity ?? defaultIdentity(), signal: opts.stop, log, onLeading: lead})
  } finally {
    await probes?.close()
  }
}

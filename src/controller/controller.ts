// `ke controller`: Cluster objects reconciled through the same lifecycle and drivers as the CLI
// (issue 16). The watch feeds a work queue; N workers take one cluster each at a time. Stopping: no new
// work is taken, in-flight driver calls get a grace period, then the drivers are stopped; whatever was
// under way is left as the lifecycle records it (in-flight status, stored info), for the next
// controller to resume.
import {join} from 'node:path'
import type {KubeConfig} from '@kubernetes/client-node'
import type {SessionContext} from '../driver/run/session.js'
import type {ClusterStore} from '../store/cluster-store.js'
import {KubernetesStore} from '../store/kubernetes/kubernetes-store.js'
import {ClusterObjects} from './cluster-api.js'
import {watchClusters, type ClusterWatch} from './cluster-watch.js'
import {DriverSource} from './driver-source.js'
import {reconcile, type Outcome} from './reconcile.js'
import {clusterApiError} from './start-check.js'
import {noMetrics, type ControllerLog, type EventSink, type ReconcileDeps, type ReconcileMetrics} from './reconcile-deps.js'
import {WorkQueue, type Clock} from './work-queue.js'

/** Reconcile results as /metrics counts them. */
const METRIC_RESULT: Record<Outcome['result'], string> = {done: 'success', failed: 'error', busy: 'requeue', invalid: 'invalid', interrupted: 'interrupted'}

/** After the grace period, in-flight reconciles get this long to record what happened once their drivers are stopped. */
const WIND_DOWN_MS = 10_000

export interface ControllerOptions {
  kc: KubeConfig
  /** Watch this namespace only; all namespaces when unset. */
  namespace?: string
  workers: number
  /** Drivers, the Redactor, and the Supervisor that tracks driver processes. */
  session: SessionContext
  events: EventSink
  log: ControllerLog
  metrics?: ReconcileMetrics
  clock?: Clock
}

export class Controller {
  readonly queue: WorkQueue
  private readonly stopping = new AbortController()
  /** Keys whose optionsFrom Secrets changed since their last reconcile. */
  private readonly secretsChanged = new Set<string>()
  private readonly stores = new Map<string, Promise<ClusterStore>>()
  private readonly generations = new Map<string, number>()
  private readonly metrics: ReconcileMetrics
  private watch: ClusterWatch | undefined
  private workers: Array<Promise<void>> = []
  private deps: ReconcileDeps | undefined

  constructor(private readonly opts: ControllerOptions) {
    this.queue = new WorkQueue(opts.clock)
    this.metrics = opts.metrics ?? noMetrics
  }

  /** True once the watch has listed what exists: /readyz. */
  isReady(): boolean {
    return this.watch?.synced() ?? false
  }

  /** Starts the watch and the workers; throws (one line) when the Cluster resource is missing or the API server refuses. */
  async start(): Promise<void> {
    const {kc, session, log} = this.opts
    const drivers = new DriverSource(session, (n) => {
      this.metrics.setRunningDrivers(n)
      log.info('drivers running', {drivers: n})
    })
    this.deps = {
      objects: await ClusterObjects.open(kc),
      storeFor: (namespace) => this.storeFor(namespace),
      drivers,
      events: this.opts.events,
      log,
      redactor: session.redactor,
      session,
      stopping: this.stopping.signal,
      generations: this.generations,
    }
    const handlers = {
      enqueue: (key: string, secretsChanged: boolean) => {
        if (secretsChanged) this.secretsChanged.add(key)
        this.queue.add(key)
        this.metrics.setQueueDepth(this.queue.depth)
      },
      forget: (key: string) => {
        this.queue.forget(key)
        this.generations.delete(key)
      },
    }
    try {
      this.watch = await watchClusters(kc, this.opts.namespace, handlers, log, (what, error) =>
        what === 'clusters' ? clusterApiError(error, this.opts.namespace, kc).message : error instanceof Error ? error.message.split('\n')[0] : String(error),
      )
    } catch (error) {
      throw clusterApiError(error, this.opts.namespace, kc)
    }
    this.workers = Array.from({length: this.opts.workers}, () => this.work())
    log.info('controller started', {namespace: this.opts.namespace ?? '(all)', workers: this.opts.workers})
  }

  /**
   * Takes no more work, lets in-flight reconciles finish within `graceMs`, then stops their drivers
   * (their calls fail, the lifecycle records that) and waits a little for the records to be written.
   */
  async stop(graceMs: number): Promise<void> {
    const {log, session} = this.opts
    log.info('stopping: no new work is taken', {inFlight: this.queue.inWork, graceSeconds: graceMs / 1000})
    this.queue.shutDown()
    this.stopping.abort('SIGTERM')
    await this.watch?.stop()
    const allDone = Promise.allSettled(this.workers)
    if (!(await within(allDone, graceMs))) {
      log.warn('grace period over: stopping the drivers still at work', {inFlight: this.queue.inWork})
      await session.supervisor.stopAll()
      await within(allDone, WIND_DOWN_MS)
    }
    log.info('controller stopped')
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get()
      if (key === undefined) return
      this.metrics.setQueueDepth(this.queue.depth)
      try {
        await this.reconcileKey(key)
      } catch (error) {
        // a worker never dies of one key: the key is retried, the worker goes on
        this.opts.log.error('reconcile crashed', {cluster: key, error: error instanceof Error ? error.message : String(error)})
        this.queue.addWithBackoff(key)
      } finally {
        this.queue.done(key)
      }
    }
  }

  private async reconcileKey(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string]
    const secretsChanged = this.secretsChanged.delete(key)
    const started = Date.now()
    let outcome: Outcome
    try {
      outcome = await reconcile(this.deps!, {namespace, name, secretsChanged})
    } catch (error) {
      outcome = {result: 'failed', action: 'none', error}
    }
    this.metrics.reconciled(METRIC_RESULT[outcome.result])
    if (outcome.action !== 'none') this.metrics.observeOperation(outcome.action, (Date.now() - started) / 1000)
    this.follow(key, outcome)
  }

  /** What the queue does next with the key. */
  private follow(key: string, outcome: Outcome): void {
    const {log} = this.opts
    const fields = {cluster: key, action: outcome.action, result: outcome.result}
    switch (outcome.result) {
      case 'done':
      case 'invalid':
        this.queue.forget(key)
        if (outcome.action !== 'none') log.info('reconciled', fields)
        return
      case 'busy':
        log.info('busy: another ke holds its Lease; looking again later', {...fields, retrySeconds: outcome.retryAfterMs / 1000})
        this.queue.addAfter(key, outcome.retryAfterMs)
        return
      case 'interrupted':
        log.info('interrupted by the stop; left to resume', fields)
        return
      case 'failed': {
        const retryMs = this.queue.addWithBackoff(key)
        const message = this.deps!.redactor.redact(outcome.error instanceof Error ? outcome.error.message.split('\n')[0] : String(outcome.error))
        log.warn('reconcile failed', {...fields, error: message, failures: this.queue.failuresOf(key), retrySeconds: retryMs / 1000})
      }
    }
  }

  private storeFor(namespace: string): Promise<ClusterStore> {
    let store = this.stores.get(namespace)
    if (!store) {
      const {kc, session} = this.opts
      const context = kc.getCurrentContext()
      store = KubernetesStore.open(
        {kc, namespace, label: `kubernetes:${context}/${namespace}`},
        {
          logDir: join(session.home, 'kubernetes', encodeURIComponent(context), namespace),
          component: 'ke-controller',
          reconciling: {observedGeneration: (name) => this.generations.get(`${namespace}/${name}`)},
        },
      )
      this.stores.set(namespace, store)
    }
    return store
  }
}

async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([work.then(() => true as const), timeout])
  } finally {
    clearTimeout(timer)
  }
}

// What a reconcile needs, as interfaces: the controller wires the real ones, specs may pass others.
import type {Progress} from '../cluster/deps.js'
import type {SessionContext} from '../driver/run/session.js'
import type {Redactor} from '../redact.js'
import type {ClusterStore} from '../store/cluster-store.js'
import type {ClusterEvent} from '../store/kubernetes/events.js'
import type {ClusterObjects} from './cluster-api.js'
import type {DriverSource} from './driver-source.js'
import type {Logger} from './log.js'
import type {ControllerMetrics} from './metrics.js'

/** The controller's log. */
export type ControllerLog = Logger

export interface EventSink {
  /** Best effort: never throws. */
  emit(namespace: string, cluster: {name: string; uid?: string}, event: ClusterEvent): Promise<void>
}

export interface ReconcileDeps {
  objects: ClusterObjects
  /** The record store of a namespace (the Kubernetes store in the controller's mode). */
  storeFor(namespace: string): Promise<ClusterStore>
  drivers: DriverSource
  events: EventSink
  log: ControllerLog
  redactor: Redactor
  /** Where drivers run (KE_HOME, environment, the Supervisor). */
  session: SessionContext
  /** Aborted when the controller stops: the lifecycle starts no further driver call. */
  stopping: AbortSignal
  /** The generation each cluster's reconcile acts on, by `namespace/name`: written as status.observedGeneration. */
  generations: Map<string, number>
}

/** Where a reconcile's progress lines go: the log, and an Event for each lifecycle stage. */
export function reconcileProgress(deps: ReconcileDeps, namespace: string, cluster: {name: string; uid?: string}): Progress {
  const key = `${namespace}/${cluster.name}`
  return {
    stage: (text) => {
      deps.log.info(text, {cluster: key})
      const reason = text.split(' ')[0].replace(/[^A-Za-z]/g, '')
      if (reason) void deps.events.emit(namespace, cluster, {type: 'Normal', reason, message: deps.redactor.redact(`${text} (${key})`)})
    },
    warn: (text) => deps.log.warn(deps.redactor.redact(text), {cluster: key}),
    done: () => {},
  }
}

/** What the controller reports to /metrics. */
export type ReconcileMetrics = Pick<ControllerMetrics, 'reconciled' | 'observeOperation' | 'setQueueDepth' | 'setRunningDrivers'>

export const noMetrics: ReconcileMetrics = {reconciled: () => {}, observeOperation: () => {}, setQueueDepth: () => {}, setRunningDrivers: () => {}}

// The controller's view of the API server: an informer (client-node's ListWatch) on Cluster objects and
// one on Secrets, in one namespace or all. A Cluster is queued when something the reconcile acts on
// changed (spec → generation, deletion, finalizers, annotations), never for a status write alone: the
// controller's own status writes must not wake it again. A Secret named by some Cluster's optionsFrom
// queues that Cluster, marked "its Secrets changed" (an InvalidSpec verdict is then judged again).
import type {KubeConfig, KubernetesObject, V1Secret} from '@kubernetes/client-node'
import {GROUP, PLURAL, VERSION} from '../store/kubernetes/crd.js'
import {CREATED_OPTIONS_ANNOTATION} from './create-only.js'
import type {WatchedCluster} from './reconcile-decision.js'
import type {ControllerLog} from './reconcile-deps.js'

/** A watch that broke (API server restart, expired resourceVersion) is started again after this. */
const RESTART_MS = 2_000

export interface WatchHandlers {
  /** A Cluster to reconcile; `secretsChanged` when a Secret it names was added or changed. */
  enqueue(key: string, secretsChanged: boolean): void
  /** A Cluster object is gone for good. */
  forget(key: string): void
}

export interface ClusterWatch {
  /** True once both informers have listed what exists (readiness). */
  synced(): boolean
  stop(): Promise<void>
}

export function keyOf(object: {metadata?: {namespace?: string; name?: string}}): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`
}

/**
 * What of a Cluster a reconcile acts on; a change of anything else (its status, the annotation the
 * controller itself writes before a Create) queues nothing.
 */
export function triggerOf(object: WatchedCluster): string {
  const {generation, deletionTimestamp, finalizers, annotations} = object.metadata
  const {[CREATED_OPTIONS_ANNOTATION]: _own, ...others} = annotations ?? {}
  return JSON.stringify([generation, deletionTimestamp ? String(deletionTimestamp) : null, finalizers ?? [], others])
}

interface Informer<T extends KubernetesObject> {
  on(verb: 'add' | 'update' | 'delete', cb: (object: T) => void): void
  on(verb: 'error', cb: (error?: unknown) => void): void
  start(): Promise<void>
  stop(): Promise<void>
}

/** A broken watch in one line (a deleted CRD as `run ke store init`, not the raw HTTP answer). */
export type DescribeWatchError = (what: 'clusters' | 'secrets', error: unknown) => string

export async function watchClusters(
  kc: KubeConfig,
  namespace: string | undefined,
  handlers: WatchHandlers,
  log: ControllerLog,
  describe: DescribeWatchError = (_what, error) => (error instanceof Error ? error.message : String(error)),
): Promise<ClusterWatch> {
  const {CoreV1Api, CustomObjectsApi, makeInformer} = await import('@kubernetes/client-node')
  const objects = kc.makeApiClient(CustomObjectsApi)
  const core = kc.makeApiClient(CoreV1Api)
  const where = namespace ? `/namespaces/${namespace}` : ''
  // synced once a list has really answered: the informer's start() resolves even when its list failed
  const synced = {clusters: false, secrets: false}
  const listed =
    <T>(what: keyof typeof synced, list: () => Promise<T>) =>
    async (): Promise<T> => {
      const answer = await list()
      synced[what] = true
      return answer
    }
  const clusters = makeInformer<KubernetesObject>(
    kc,
    `/apis/${GROUP}/${VERSION}${where}/${PLURAL}`,
    listed('clusters', async () =>
      (namespace
        ? objects.listNamespacedCustomObject({group: GROUP, version: VERSION, namespace, plural: PLURAL})
        : objects.listClusterCustomObject({group: GROUP, version: VERSION, plural: PLURAL})) as never,
    ),
  )
  const secrets = makeInformer<V1Secret>(
    kc,
    `/api/v1${where}/secrets`,
    listed('secrets', async () => (namespace ? core.listNamespacedSecret({namespace}) : core.listSecretForAllNamespaces()) as never),
  )

  const triggers = new Map<string, string>()
  const onCluster = (object: KubernetesObject) => {
    const key = keyOf(object)
    const trigger = triggerOf(object as unknown as WatchedCluster)
    if (triggers.get(key) === trigger) return
    triggers.set(key, trigger)
    handlers.enqueue(key, false)
  }
  clusters.on('add', onCluster)
  clusters.on('update', onCluster)
  clusters.on('delete', (object) => {
    triggers.delete(keyOf(object))
    handlers.forget(keyOf(object))
  })

  const onSecret = (secret: V1Secret) => {
    const {name, namespace: ns} = secret.metadata ?? {}
    for (const cluster of clusters.list(ns) as unknown as WatchedCluster[]) {
      if (cluster.spec?.optionsFrom?.some((from) => from.secretRef?.name === name)) handlers.enqueue(keyOf(cluster), true)
    }
  }
  secrets.on('add', onSecret)
  secrets.on('update', onSecret)

  let stopped = false
  const run = (what: keyof typeof synced, informer: Informer<any>) => {
    let lastProblem: string | undefined
    informer.on('error', (error) => {
      if (stopped) return
      // the same problem every 2 s is said once, until another one comes
      const problem = describe(what, error)
      if (problem !== lastProblem) log.warn(`watch of ${what} broke; starting it again every ${RESTART_MS / 1000} s`, {error: problem})
      lastProblem = problem
      setTimeout(() => {
        if (!stopped) void informer.start().catch(() => {})
      }, RESTART_MS).unref()
    })
    return informer.start()
  }
  await Promise.all([run('clusters', clusters), run('secrets', secrets)])
  return {
    synced: () => synced.clusters && synced.secrets,
    stop: async () => {
      stopped = true
      await Promise.allSettled([clusters.stop(), secrets.stop()])
    },
  }
}

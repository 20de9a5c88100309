// The controller's own writes to Cluster objects, beside the store's record writes: the finalizer
// (metadata) and conditions the lifecycle has no word for (InvalidSpec, RemoveFailed). Each names the
// resourceVersion it read, and a conflict is re-read and applied again, so the informer's (maybe older)
// copy is never written back.
import {isDeepStrictEqual} from 'node:util'
import type {CoreV1Api, CustomObjectsApi, KubeConfig} from '@kubernetes/client-node'
import {isConflict, isNotFound} from '../store/kubernetes/api-errors.js'
import type {ClusterStatus, Condition} from '../store/kubernetes/cluster-object.js'
import {FIELD_MANAGER, GROUP, PLURAL, VERSION} from '../store/kubernetes/crd.js'
import {FINALIZER, type WatchedCluster} from './reconcile-decision.js'

const ATTEMPTS = 5

/** `conditions` with one set; its lastTransitionTime kept while its status holds. */
export function withCondition(conditions: Condition[] | undefined, type: Condition['type'], isTrue: boolean, reason: string, message: string, now = new Date().toISOString()): Condition[] {
  const status = isTrue ? 'True' : 'False'
  const previous = conditions?.find((c) => c.type === type)
  const lastTransitionTime = previous && previous.status === status ? previous.lastTransitionTime : now
  const next: Condition = {type, status, reason, message, lastTransitionTime}
  return previous ? (conditions ?? []).map((c) => (c.type === type ? next : c)) : [...(conditions ?? []), next]
}

export class ClusterObjects {
  private constructor(
    private readonly objects: CustomObjectsApi,
    private readonly core: CoreV1Api,
    private readonly mergePatch: unknown,
  ) {}

  static async open(kc: KubeConfig): Promise<ClusterObjects> {
    const {CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions} = await import('@kubernetes/client-node')
    return new ClusterObjects(kc.makeApiClient(CustomObjectsApi), kc.makeApiClient(CoreV1Api), setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
  }

  private ref(namespace: string, name: string) {
    return {group: GROUP, version: VERSION, namespace, plural: PLURAL, name}
  }

  /** The object as the API server has it now; undefined once it is gone. */
  async get(namespace: string, name: string): Promise<WatchedCluster | undefined> {
    try {
      return (await this.objects.getNamespacedCustomObject(this.ref(namespace, name))) as WatchedCluster
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /** Adds or drops our finalizer; nothing when it already is as asked or the object is gone. */
  async setFinalizer(namespace: string, name: string, present: boolean): Promise<void> {
    await this.change(namespace, name, async (object) => {
      const finalizers = object.metadata.finalizers ?? []
      if (finalizers.includes(FINALIZER) === present) return false
      const next = present ? [...finalizers, FINALIZER] : finalizers.filter((f) => f !== FINALIZER)
      const body = {metadata: {resourceVersion: object.metadata.resourceVersion, finalizers: next}}
      await this.objects.patchNamespacedCustomObject({...this.ref(namespace, name), body, fieldManager: FIELD_MANAGER}, this.mergePatch as never)
      return true
    })
  }

  /** Sets one annotation; nothing when it already has that value or the object is gone. */
  async setAnnotation(namespace: string, name: string, key: string, value: string): Promise<void> {
    await this.change(namespace, name, async (object) => {
      if (object.metadata.annotations?.[key] === value) return false
      const body = {metadata: {resourceVersion: object.metadata.resourceVersion, annotations: {[key]: value}}}
      await this.objects.patchNamespacedCustomObject({...this.ref(namespace, name), body, fieldManager: FIELD_MANAGER}, this.mergePatch as never)
      return true
    })
  }

  /** Applies `change` to the status; no write when it changes nothing (no event for the watch either). */
  async patchStatus(namespace: string, name: string, change: (status: ClusterStatus) => ClusterStatus): Promise<void> {
    await this.change(namespace, name, async (object) => {
      const before = object.status ?? {}
      const after = change(before)
      if (isDeepStrictEqual(before, after)) return false
      const body = {metadata: {resourceVersion: object.metadata.resourceVersion}, status: after}
      await this.objects.patchNamespacedCustomObjectStatus({...this.ref(namespace, name), body, fieldManager: FIELD_MANAGER}, this.mergePatch as never)
      return true
    })
  }

  /** The Secret's keys and values (decoded); undefined when there is no such Secret. */
  async readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      const secret = await this.core.readNamespacedSecret({name, namespace})
      return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]))
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /** Read, change, write at that resourceVersion; a conflict reads again. */
  private async change(namespace: string, name: string, write: (object: WatchedCluster) => Promise<boolean>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const object = await this.get(namespace, name)
      if (!object) return
      try {
        await write(object)
        return
      } catch (error) {
        if (!isConflict(error) || attempt >= ATTEMPTS) throw error
      }
    }
  }
}

// `ke store init`: the Cluster CRD applied with server-side apply (field manager `ke`), then waited
// for until the API server serves it (condition Established); the store's namespace created when it is
// missing (init already needs rights beyond a namespace's). Idempotent.
import type {KubeConfig, V1CustomResourceDefinition} from '@kubernetes/client-node'
import {KeError} from '../../errors.js'
import {isConflict, isNotFound, storeError} from './api-errors.js'
import type {StoreTarget} from './connect.js'
import {clusterCrd, CRD_NAME, FIELD_MANAGER} from './crd.js'

const ESTABLISHED_DEADLINE_MS = 60_000

export interface InitResult {
  store: string
  crd: string
  /** False when the CRD was already there exactly as this ke applies it. */
  changed: boolean
  /** The store's namespace, when init created it. */
  namespaceCreated?: string
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false
}

async function readCrd(kc: KubeConfig): Promise<V1CustomResourceDefinition | undefined> {
  const {ApiextensionsV1Api} = await import('@kubernetes/client-node')
  return kc
    .makeApiClient(ApiextensionsV1Api)
    .readCustomResourceDefinition({name: CRD_NAME})
    .catch((error) => {
      if (isNotFound(error)) return undefined
      throw error
    })
}

export async function initStore(target: StoreTarget): Promise<InitResult> {
  const {kc, label} = target
  const server = kc.getCurrentCluster()?.server ?? ''
  const {KubernetesObjectApi, PatchStrategy} = await import('@kubernetes/client-node')
  try {
    const before = await readCrd(kc)
    const applied = await KubernetesObjectApi.makeApiClient(kc).patch(clusterCrd(), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
    await waitEstablished(kc, label)
    const created = await ensureNamespace(target)
    return {store: label, crd: CRD_NAME, changed: before?.metadata?.resourceVersion !== applied.metadata?.resourceVersion, ...(created ? {namespaceCreated: target.namespace} : {})}
  } catch (error) {
    throw storeError(error, `apply CustomResourceDefinition ${CRD_NAME}`, label, server)
  }
}

/** Creates the store's namespace when it does not exist; true when it did. */
async function ensureNamespace({kc, namespace, label}: StoreTarget): Promise<boolean> {
  const {CoreV1Api} = await import('@kubernetes/client-node')
  const core = kc.makeApiClient(CoreV1Api)
  const server = kc.getCurrentCluster()?.server ?? ''
  try {
    await core.readNamespace({name: namespace})
    return false
  } catch (error) {
    if (!isNotFound(error)) throw storeError(error, `get Namespace ${namespace}`, label, server)
  }
  try {
    await core.createNamespace({body: {metadata: {name: namespace}}, fieldManager: FIELD_MANAGER})
    return true
  } catch (error) {
    // made meanwhile by someone else: there it is
    if (isConflict(error)) return false
    throw storeError(error, `create Namespace ${namespace}`, label, server)
  }
}

async function waitEstablished(kc: KubeConfig, label: string): Promise<void> {
  const deadline = Date.now() + ESTABLISHED_DEADLINE_MS
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const crd = await readCrd(kc)
    if (crd && isEstablished(crd)) return
    if (Date.now() > deadline) {
      throw new KeError('ACCESS_FAILED', `Kubernetes store ${label}: ${CRD_NAME} was applied but not Established within ${ESTABLISHED_DEADLINE_MS / 1000} s`, {
        hint: `see \`kubectl describe crd ${CRD_NAME}\``,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
}

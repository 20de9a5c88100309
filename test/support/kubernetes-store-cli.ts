// The Kubernetes store for CLI tests: a namespace of the test's own on the run's REAL API server, the
// CRD applied by `ke store init`, and admin clients to look at what ke wrote there.
import assert from 'node:assert/strict'
import {CoordinationV1Api, CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api} from '@kubernetes/client-node'
import {runKe, type KeOptions} from './ke.js'
import {kubernetes, uniqueName, type TestKubernetes} from './kubernetes.js'

export interface CliStore {
  kube: TestKubernetes
  namespace: string
  /** `kubernetes:ke-test/NAMESPACE`, for --store or KE_STORE. */
  store: string
  /** ke's options for a KE_HOME, with KUBECONFIG (the admin's) and KE_STORE set. */
  options(home: string, env?: Record<string, string | undefined>): KeOptions
  core: CoreV1Api
  objects: CustomObjectsApi
  leases: CoordinationV1Api
  rbac: RbacAuthorizationV1Api
  /** Every Cluster object in the namespace, as the API server returns them. */
  clusters(): Promise<Array<Record<string, any>>>
  cluster(name: string): Promise<Record<string, any>>
  /** Every Event in the namespace. */
  events(): Promise<Array<Record<string, any>>>
}

export async function cliStore(initHome: string): Promise<CliStore> {
  const kube = await kubernetes()
  const core = kube.admin().makeApiClient(CoreV1Api)
  const objects = kube.admin().makeApiClient(CustomObjectsApi)
  const namespace = uniqueName('ke-cli')
  await core.createNamespace({body: {metadata: {name: namespace}}})
  const store = `kubernetes:ke-test/${namespace}`
  const init = await runKe(['store', 'init', '--store', store], {home: initHome, env: {KUBECONFIG: kube.kubeconfigPath}, timeoutMs: 90_000})
  assert.equal(init.code, 0, init.stderr)
  const ref = {group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters'}
  return {
    kube,
    namespace,
    store,
    options: (home, env = {}) => ({home, env: {KUBECONFIG: kube.kubeconfigPath, KE_STORE: store, ...env}, timeoutMs: 120_000}),
    core,
    objects,
    leases: kube.admin().makeApiClient(CoordinationV1Api),
    rbac: kube.admin().makeApiClient(RbacAuthorizationV1Api),
    clusters: async () => ((await objects.listNamespacedCustomObject(ref)) as {items: Array<Record<string, any>>}).items,
    cluster: async (name) => (await objects.getNamespacedCustomObject({...ref, name})) as Record<string, any>,
    events: async () => (await core.listNamespacedEvent({namespace})).items as Array<Record<string, any>>,
  }
}

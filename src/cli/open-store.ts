// The store every cluster command uses, as `--store` or KE_STORE choose it (issue 15). The Kubernetes
// store (and client-node, ~330 ms to load) is reached only when chosen; its driver logs and the
// kubeconfig files `ke env` writes stay on this machine, under $KE_HOME/kubernetes/<context>/<namespace>.
import {join} from 'node:path'
import type {ClusterStore} from '../store/cluster-store.js'
import {FileStore} from '../store/file/file-store.js'
import {resolveStoreSpec, type StoreSpec} from '../store/store-spec.js'

/** The chosen store, or (when it cannot be reached) a store that reports why once a command uses it. */
export async function openStore(flag: string | undefined, home: string, env: NodeJS.ProcessEnv): Promise<ClusterStore> {
  try {
    return (await openStoreSpec(resolveStoreSpec(flag, env), home, env)).store
  } catch (error) {
    return unreachableStore(error)
  }
}

export interface OpenedStore {
  store: ClusterStore
  /** How the user names it: `file` or `kubernetes:CONTEXT/NAMESPACE`. */
  label: string
  /** The same for two specs that reach the same records (two contexts may name one API server). */
  identity: string
}

/** The store a parsed spec names; throws when it cannot be reached. */
export async function openStoreSpec(spec: StoreSpec, home: string, env: NodeJS.ProcessEnv): Promise<OpenedStore> {
  if (spec.kind === 'file') return {store: new FileStore(home), label: 'file', identity: `file:${home}`}
  const [{connectStore}, {KubernetesStore}] = await Promise.all([import('../store/kubernetes/connect.js'), import('../store/kubernetes/kubernetes-store.js')])
  const target = await connectStore(spec, env)
  const store = await KubernetesStore.open(target, {logDir: localLogDir(home, target.label)})
  return {store, label: target.label, identity: `${target.kc.getCurrentCluster()?.server ?? target.label}/${target.namespace}`}
}

/** One folder per context and namespace: `kubernetes:prod/ns` → $KE_HOME/kubernetes/prod/ns (a `/` in a context is escaped). */
function localLogDir(home: string, label: string): string {
  const rest = label.slice('kubernetes:'.length)
  const slash = rest.lastIndexOf('/')
  return join(home, 'kubernetes', encodeURIComponent(rest.slice(0, slash)), rest.slice(slash + 1))
}

/** Commands that never touch a store (driver install, help) are not failed by a store they do not use. */
function unreachableStore(error: unknown): ClusterStore {
  const fail = (): never => {
    throw error
  }
  return {
    kind: 'unreachable',
    exists: async () => fail(),
    load: async () => fail(),
    save: async () => fail(),
    put: async () => fail(),
    delete: async () => fail(),
    list: async () => fail(),
    lock: async () => fail(),
    assertNotBusy: async () => fail(),
    isHeldByLiveHolder: async () => fail(),
    logPath: () => fail(),
  }
}

import type {ClusterStore} from '../store/cluster-store.js'

/** Names of the clusters ke knows, unreadable ones too (`ke rm -f` takes them), for shell completion. */
export async function clusterNames(store: ClusterStore): Promise<string[]> {
  return (await store.list()).map((entry) => entry.name)
}

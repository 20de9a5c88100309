import {isUnreadable, type ClusterStore} from '../store/cluster-store.js'

/** Clusters whose record names driver `name` (as `--driver name`), for a warning before it goes. */
export async function clustersUsingDriver(store: ClusterStore, name: string): Promise<string[]> {
  return (await store.list())
    .filter((entry) => !isUnreadable(entry) && entry.driver.ref === name)
    .map((entry) => entry.name)
}

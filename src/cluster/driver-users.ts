import {isUnreadable, type FileStore} from '../store/file-store.js'

/** Clusters whose record names driver `name` (as `--driver name`), for a warning before it goes. */
export function clustersUsingDriver(store: FileStore, name: string): string[] {
  return store
    .list()
    .filter((entry) => !isUnreadable(entry) && entry.driver.ref === name)
    .map((entry) => entry.name)
}

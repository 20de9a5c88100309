// A record says Creating or Updating while a ke works on it. When that ke was killed, nobody will ever
// move it on: `ls` and `inspect` show it as the Error a retry will record, not as in progress forever.
import {isKeError} from '../errors.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {isUnreadable, type ClusterStore, type ClusterSummary, type UnreadableCluster} from '../store/cluster-store.js'
import {asStopped, isInFlight} from './status.js'

async function current(store: ClusterStore, record: ClusterRecord): Promise<ClusterRecord> {
  if (!isInFlight(record.status) || (await store.isHeldByLiveHolder(record.name))) return record
  // the holder may have finished between our read and the lock check: trust only an unchanged record
  const again = (await store.exists(record.name)) ? await store.load(record.name) : record
  return again.updatedAt === record.updatedAt ? asStopped(record, false) : again
}

export async function loadCurrent(store: ClusterStore, name: string): Promise<ClusterRecord> {
  return current(store, await store.load(name))
}

/**
 * What `ls` shows: the store's summaries; an in-flight one is read in full to see whether it stopped.
 * A user who may list clusters but not read their locks or Secrets (Kubernetes RBAC), or one whose full
 * record cannot be read, sees it as stored.
 */
export async function listCurrent(store: ClusterStore): Promise<Array<ClusterSummary | UnreadableCluster>> {
  const entries = await store.list()
  return Promise.all(
    entries.map(async (entry) => {
      if (isUnreadable(entry) || !isInFlight(entry.status)) return entry
      try {
        return await current(store, await store.load(entry.name))
      } catch (error) {
        // the object is readable but not all it names (a Secret of optionsFrom not made yet): list it as stored
        if (isKeError(error) && (error.keCode === 'ACCESS_FAILED' || error.keCode === 'STATE_UNREADABLE')) return entry
        throw error
      }
    }),
  )
}

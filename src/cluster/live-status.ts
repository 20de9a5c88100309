// A record says Creating or Updating while a ke works on it. When that ke was killed, nobody will ever
// move it on: `ls` and `inspect` show it as the Error a retry will record, not as in progress forever.
import type {ClusterRecord} from '../store/cluster-record.js'
import {isUnreadable, type FileStore, type UnreadableCluster} from '../store/file-store.js'
import {listSummaries, type ClusterSummary} from '../store/list-index.js'
import {isHeldByLiveKe} from '../store/lock.js'
import {isInFlight} from './status.js'

/** The record as it stands: an in-flight status with no live ke behind it is an interrupted one. */
export function asStopped(record: ClusterRecord, heldByLiveKe: boolean): ClusterRecord {
  if (!isInFlight(record.status) || heldByLiveKe) return record
  return {...record, status: 'Error', reason: `interrupted: the ke running it stopped during ${record.status}`}
}

function current(store: FileStore, record: ClusterRecord): ClusterRecord {
  if (!isInFlight(record.status) || isHeldByLiveKe(store.home, record.name)) return record
  // the holder may have finished between our read and the lock check: trust only an unchanged record
  const again = store.exists(record.name) ? store.load(record.name) : record
  return again.updatedAt === record.updatedAt ? asStopped(record, false) : again
}

export function loadCurrent(store: FileStore, name: string): ClusterRecord {
  return current(store, store.load(name))
}

/** What `ls` shows: summaries from the index; an in-flight one is read in full to see whether it stopped. */
export function listCurrent(store: FileStore): Array<ClusterSummary | UnreadableCluster> {
  return listSummaries(store).map((entry) => (isUnreadable(entry) || !isInFlight(entry.status) ? entry : current(store, store.load(entry.name))))
}

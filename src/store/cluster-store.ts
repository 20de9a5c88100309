// Where cluster records and their locks live. The lifecycle receives a ClusterStore and never knows
// which one it runs on: files under $KE_HOME (store/file-store.ts, the default), Kubernetes objects
// (a `Cluster` custom resource, Secrets and a Lease per cluster; issue 15), or memory (specs).
// Every method is async because a store may be remote; none reads process.env or argv.
import type {ClusterRecord} from './cluster-record.js'

/** What `ke ls` shows of a cluster: a store may answer it without reading whole records. */
export type ClusterSummary = Pick<ClusterRecord, 'name' | 'driver' | 'status' | 'reason'> & {
  info?: Pick<NonNullable<ClusterRecord['info']>, 'version' | 'endpoint' | 'nodeCount'>
}

/** A listed cluster whose record could not be read: `ke ls` shows it instead of failing. */
export interface UnreadableCluster {
  name: string
  unreadable: string
}

/** What became of an operation on a cluster, for whoever watches the store (an Event on Kubernetes). */
export interface OperationEvent {
  type: 'Normal' | 'Warning'
  /** UpperCamelCase: CreateFailed, Created, RemoveFailed, ... */
  reason: string
  /** Redacted by the caller; a store may shorten it. */
  message: string
}

/** Ends a lock; idempotent. */
export type Release = () => Promise<void>

export interface ClusterStore {
  /** `file`, `kubernetes` or `memory`: for messages only; the lifecycle never branches on it. */
  readonly kind: string

  /** True when a record named `name` exists (readable or not). Throws BAD_NAME for an invalid name. */
  exists(name: string): Promise<boolean>

  /**
   * The whole record, secrets included (callers redact for display). Throws CLUSTER_NOT_FOUND,
   * STATE_UNREADABLE, or STATE_FROM_NEWER_KE.
   */
  load(name: string): Promise<ClusterRecord>

  /**
   * Writes the record whole and returns it as stored (schemaVersion and updatedAt set). Never leaves
   * a half-written record; a store shared by several writers re-reads and re-applies on a conflict
   * or throws, and never overwrites another writer's change blindly.
   */
  save(record: ClusterRecord): Promise<ClusterRecord>

  /** Removes the record and everything the store keeps for it. Idempotent. */
  delete(name: string): Promise<void>

  /** Every cluster, sorted by name; unreadable ones are returned as such rather than thrown. */
  list(): Promise<Array<ClusterSummary | UnreadableCluster>>

  /**
   * Takes the cluster's lock for `command` until the returned Release runs, renewing it meanwhile.
   * Throws CLUSTER_BUSY (exit 4) at once, naming the holder, when a live holder has it; a dead
   * holder's lock is taken over.
   */
  lock(name: string, command: string): Promise<Release>

  /** A cheap early check, before slow work: throws CLUSTER_BUSY like lock() without taking it. */
  assertNotBusy(name: string): Promise<void>

  /** True while a live holder has the lock: an in-flight status of the record is real. */
  isHeldByLiveHolder(name: string): Promise<boolean>

  /** Where this machine writes the driver log of `name` (logs never leave the machine that ran the driver). */
  logPath(name: string): string

  /**
   * Tells those who watch the store what became of an operation (the Kubernetes store writes an Event
   * about the Cluster; the file store has no one to tell). Best effort: never throws.
   */
  report?(name: string, event: OperationEvent): Promise<void>
}

/** The summary of a whole record, for stores that list by reading records. */
export function summaryOf(record: ClusterRecord): ClusterSummary {
  const {name, driver, status, reason, info} = record
  return {
    name,
    driver,
    status,
    ...(reason ? {reason} : {}),
    ...(info ? {info: {version: info.version, endpoint: info.endpoint, nodeCount: info.nodeCount}} : {}),
  }
}

export function isUnreadable<T extends object>(entry: T | UnreadableCluster): entry is UnreadableCluster {
  return 'unreadable' in entry
}

import type {ClusterInfo, KeyStyle, OptionValue} from '../protocol/types.js'

export const SCHEMA_VERSION = 1

/**
 * Lifecycle positions ke records (PROTOCOL.md "Status values the host records"). They are part of the
 * record's data; the rules for moving between them live in cluster/status.ts.
 */
export type Status = 'Init' | 'Pre-Creating' | 'Creating' | 'Post-Checking' | 'Running' | 'Error' | 'Updating' | 'Removing'

export const STATUSES: readonly Status[] = ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running', 'Error', 'Updating', 'Removing']

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value)
}

/** A cluster that is (or was) provisioned enough for update, version, size and etcd calls. */
export function isProvisioned(status: Status): boolean {
  return status === 'Running' || status === 'Updating' || status === 'Error'
}

/** How to reach the cluster's driver again. */
export interface DriverReference {
  /** What to pass to --driver: a built-in or installed name, or an absolute path. */
  ref: string
  display: string
  /** Set when the cluster was made through a driver ke attached to (127.0.0.1:PORT). */
  attached?: string
}

export interface HistoryEntry {
  at: string
  status: Status
  command: string
  reason?: string
}

/** ke's saved record of one cluster: `$KE_HOME/clusters/<name>/cluster.json`. */
export interface ClusterRecord {
  schemaVersion: number
  name: string
  driver: DriverReference
  status: Status
  /** Sent as displayName beside name (Rancher's display name); the cluster name when unset. */
  displayName?: string
  /**
   * Why the status is Error (the driver's message, "interrupted", ...), or why the last version, size
   * or etcd call failed (those leave the status as it was).
   */
  reason?: string
  /** The driver log's last lines when `reason` was recorded (redacted): comes and goes with it. */
  errorLog?: string
  createdAt: string
  updatedAt: string
  /** Non-secret option values used, by declared name. */
  options: Record<string, OptionValue>
  keyStyle?: KeyStyle
  /** What the driver returned, verbatim (metadata included). Secret fields stay in this 0600 file. */
  info?: ClusterInfo
  history: HistoryEntry[]
}

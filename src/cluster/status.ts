// The status rules, all in one place: which moves the lifecycle may make, which statuses a running ke
// holds a cluster in, and when `ke create NAME` retries a stored cluster instead of refusing it.
import {KeError} from '../errors.js'
import type {ClusterRecord, Status} from '../store/cluster-record.js'

export {STATUSES, isStatus, type Status} from '../store/cluster-record.js'

/**
 * Where each status may go next. A crash can leave any in-flight status behind; those resume as Error.
 * `ke rm` may start from any status (Removing), and a failed Remove leaves Error with the reason.
 */
const ALLOWED_MOVES: Record<Status, readonly Status[]> = {
  Init: ['Pre-Creating', 'Error', 'Removing'],
  'Pre-Creating': ['Creating', 'Error', 'Removing'],
  Creating: ['Post-Checking', 'Error', 'Removing'],
  'Post-Checking': ['Running', 'Error', 'Removing'],
  Running: ['Updating', 'Error', 'Running', 'Removing'],
  Updating: ['Post-Checking', 'Running', 'Error', 'Removing'],
  Error: ['Pre-Creating', 'Updating', 'Error', 'Removing'],
  Removing: ['Removing', 'Error'],
}

export function canMove(from: Status, to: Status): boolean {
  return ALLOWED_MOVES[from].includes(to)
}

/** Throws for a move the table does not allow: the lifecycle asking for one is a bug in ke. */
export function assertMove(from: Status, to: Status): void {
  if (!canMove(from, to)) throw new Error(`internal: status ${from} -> ${to} is not allowed`)
}

/** Statuses a `ke create NAME` may retry from: a failed create, or one whose ke died mid-way. */
export function isResumable(status: Status): boolean {
  return status === 'Error' || status === 'Init' || status === 'Pre-Creating' || status === 'Creating' || status === 'Post-Checking'
}

/** Statuses a running ke holds a cluster in; found without a live ke, that ke was stopped mid-way. */
export function isInFlight(status: Status): boolean {
  return status !== 'Running' && status !== 'Error'
}

/**
 * A record at Init with no history was declared (a Cluster applied with kubectl) and no ke has begun
 * it: it waits for the controller, or holds why the controller refused its spec (its reason).
 */
export function isDeclared(record: ClusterRecord): boolean {
  return record.status === 'Init' && record.history.length === 0
}

/** The record as it stands: an in-flight status with no live ke behind it is an interrupted one. */
export function asStopped(record: ClusterRecord, heldByLiveKe: boolean): ClusterRecord {
  if (!isInFlight(record.status) || heldByLiveKe || isDeclared(record)) return record
  return {...record, status: 'Error', reason: `interrupted: the ke running it stopped during ${record.status}`}
}


/**
 * The one "already exists" rule: a stored cluster is retried by `ke create` only while its create never
 * finished (failed or cut short). A cluster that reached Running, or whose last start was an update
 * (a failed or interrupted update leaves Error or Post-Checking too), is refused.
 */
export function isUnfinishedCreate(cluster: Pick<ClusterRecord, 'status' | 'history'>): boolean {
  if (!isResumable(cluster.status)) return false
  // a failed rm leaves Error too: only a create is retried by create
  const lastStart = [...cluster.history].reverse().find((entry) => entry.status === 'Pre-Creating' || entry.status === 'Updating' || entry.status === 'Removing')
  return lastStart === undefined || lastStart.status === 'Pre-Creating'
}

/** Throws CLUSTER_EXISTS unless `ke create` may retry the stored cluster (isUnfinishedCreate). */
export function assertCreatable(existing: Pick<ClusterRecord, 'name' | 'status' | 'history'> | undefined): void {
  if (!existing || isUnfinishedCreate(existing)) return
  if (existing.status === 'Removing') throw beingRemoved(existing.name)
  throw new KeError('CLUSTER_EXISTS', `cluster ${existing.name} already exists and its status is ${existing.status}`, {
    cluster: existing.name,
    hint: `use \`ke update ${existing.name}\` to change it, or \`ke rm ${existing.name}\` first`,
  })
}

/** A cluster whose `ke rm` stopped half-way (found Removing with no live ke): only `ke rm` goes on from there. */
export function beingRemoved(name: string): KeError {
  return new KeError('CLUSTER_INCOMPLETE', `cluster ${name} is being removed: an earlier \`ke rm ${name}\` stopped before it finished`, {
    cluster: name,
    hint: `run \`ke rm ${name}\` again to finish removing it`,
  })
}

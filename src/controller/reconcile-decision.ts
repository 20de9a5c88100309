// What one reconcile of a Cluster object does, decided from the object alone (and what the controller
// knows of the Secrets it names): pure, so the rules are specified in process (issue 16).
import {isStatus, isUnfinishedCreate, type Status} from '../cluster/status.js'
import {FINALIZER, type ClusterObject, type Condition} from '../store/kubernetes/cluster-object.js'
import type {HistoryEntry} from '../store/cluster-record.js'

/** Ours on every Cluster the controller manages (defined beside the object: `ke rm` drops it too). */
export {FINALIZER}
/** An operator's way out of a Remove that keeps failing: the finalizer goes without Remove. */
export const SKIP_REMOVE_ANNOTATION = 'ke.io/skip-remove'
/** Ready=False reasons that wait for the user: nothing is retried until the spec or a Secret changes. */
export const WAITING_REASONS = new Set(['InvalidSpec', 'BadChecksum'])

/** A Cluster object as the watch delivers it (the fields the decision reads besides ClusterObject's). */
export type WatchedCluster = ClusterObject & {
  metadata: ClusterObject['metadata'] & {deletionTimestamp?: string | Date; finalizers?: string[]}
}

export interface DecisionFacts {
  /** A Secret named in spec.optionsFrom was added or changed since the spec was last judged. */
  secretsChanged: boolean
}

export type Action =
  | {kind: 'add-finalizer'}
  | {kind: 'remove'}
  | {kind: 'skip-remove'}
  | {kind: 'create'}
  | {kind: 'update'}
  | {kind: 'none'; why: string}

export function hasFinalizer(object: WatchedCluster): boolean {
  return object.metadata.finalizers?.includes(FINALIZER) ?? false
}

function readyCondition(object: WatchedCluster): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === 'Ready')
}

/** The generation a Ready=False InvalidSpec verdict was given for, if it still stands. */
function isWaitingForUser(object: WatchedCluster, facts: DecisionFacts): boolean {
  const ready = readyCondition(object)
  if (!ready || ready.status !== 'False' || !WAITING_REASONS.has(ready.reason)) return false
  return object.status?.observedGeneration === object.metadata.generation && !facts.secretsChanged
}

function phaseOf(object: WatchedCluster): Status | undefined {
  const phase = object.status?.phase ?? 'Init'
  return isStatus(phase) ? phase : undefined
}

export function decide(object: WatchedCluster, facts: DecisionFacts): Action {
  if (object.metadata.deletionTimestamp) {
    if (!hasFinalizer(object)) return {kind: 'none', why: 'being deleted, not ours to hold'}
    return object.metadata.annotations?.[SKIP_REMOVE_ANNOTATION] === 'true' ? {kind: 'skip-remove'} : {kind: 'remove'}
  }
  if (!hasFinalizer(object)) return {kind: 'add-finalizer'}
  if (isWaitingForUser(object, facts)) return {kind: 'none', why: `${readyCondition(object)!.reason}: waiting for the spec or a Secret to change`}
  const phase = phaseOf(object)
  // a phase this ke does not know (a newer ke's): leave the object alone
  if (!phase) return {kind: 'none', why: `unknown phase ${JSON.stringify(object.status?.phase)}`}
  // a `ke rm` cut short left it half removed: only a delete (or `ke rm` again) goes on from there
  if ((phase as string) === 'Removing') return {kind: 'none', why: 'Removing: delete the object (or run `ke rm`) to finish the removal'}
  const history: HistoryEntry[] = object.status?.history ?? []
  if (isUnfinishedCreate({status: phase, history})) return {kind: 'create'}
  if (phase === 'Running' && object.metadata.generation === object.status?.observedGeneration) return {kind: 'none', why: 'Running, spec observed'}
  // Running with a newer spec, or an update that failed or was cut short: (again) Update
  return {kind: 'update'}
}

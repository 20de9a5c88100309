// Two writers saved the same record (a 409 from the API server): re-apply ours on top of theirs, field
// by field against the version both started from, or report — never overwrite their change.
import {isDeepStrictEqual} from 'node:util'
import {KeError} from '../../errors.js'
import type {ClusterRecord, HistoryEntry} from '../cluster-record.js'

type Part = (record: ClusterRecord) => unknown

/** Fields that change together count as one: a status without its reason is a lie. */
const PARTS: Record<string, {read: Part; write: (target: ClusterRecord, from: ClusterRecord) => void}> = {
  status: {read: (r) => [r.status, r.reason], write: (t, f) => Object.assign(t, {status: f.status, reason: f.reason})},
  driver: {read: (r) => r.driver, write: (t, f) => Object.assign(t, {driver: f.driver})},
  displayName: {read: (r) => r.displayName, write: (t, f) => Object.assign(t, {displayName: f.displayName})},
  options: {read: (r) => r.options, write: (t, f) => Object.assign(t, {options: f.options})},
  keyStyle: {read: (r) => r.keyStyle, write: (t, f) => Object.assign(t, {keyStyle: f.keyStyle})},
  info: {read: (r) => r.info, write: (t, f) => Object.assign(t, {info: f.info})},
  createdAt: {read: (r) => r.createdAt, write: (t, f) => Object.assign(t, {createdAt: f.createdAt})},
}

function sameEntry(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.at === b.at && a.status === b.status && a.command === b.command
}

/** Both writers' entries, each once, in time order. */
function mergeHistory(ours: HistoryEntry[], theirs: HistoryEntry[]): HistoryEntry[] {
  const merged = [...theirs]
  for (const entry of ours) if (!merged.some((e) => sameEntry(e, entry))) merged.push(entry)
  return merged.sort((a, b) => a.at.localeCompare(b.at))
}

/**
 * `ours` re-applied on `theirs`: each part we changed since `base` is taken from ours, the rest from
 * theirs. Throws CLUSTER_BUSY (exit 4) when both changed the same part differently.
 */
export function reapply(base: ClusterRecord, ours: ClusterRecord, theirs: ClusterRecord): ClusterRecord {
  const merged: ClusterRecord = {...theirs, updatedAt: ours.updatedAt, schemaVersion: ours.schemaVersion}
  const clashes: string[] = []
  for (const [name, part] of Object.entries(PARTS)) {
    const [b, o, t] = [part.read(base), part.read(ours), part.read(theirs)]
    if (isDeepStrictEqual(o, b) || isDeepStrictEqual(o, t)) continue
    if (isDeepStrictEqual(t, b)) part.write(merged, ours)
    else clashes.push(name)
  }
  if (clashes.length > 0) {
    throw new KeError('CLUSTER_BUSY', `cluster ${ours.name} was changed by another ke meanwhile (both changed its ${clashes.join(', ')}); nothing was overwritten`, {
      cluster: ours.name,
      hint: `see \`ke inspect ${ours.name}\` and run the command again`,
    })
  }
  merged.history = mergeHistory(ours.history.filter((e) => !base.history.some((b) => sameEntry(b, e))), theirs.history)
  return merged
}

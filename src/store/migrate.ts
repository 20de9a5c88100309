// `ke store migrate`: records moved from one ClusterStore to another without losing any. Each record is
// moved under both stores' locks, written verbatim (put), read back and compared before the source may
// go; a record already at the destination as the source has it is "already there", a different one is
// left alone. Stores only: this knows no command, flag or store kind.
import {isDeepStrictEqual} from 'node:util'
import {KeError, isKeError} from '../errors.js'
import type {ClusterRecord} from './cluster-record.js'
import {withHistoryLimit, type ClusterStore, type Release} from './cluster-store.js'

export interface MigrateSide {
  store: ClusterStore
  /** How the user names the store (`file`, `kubernetes:ctx/ns`), for messages. */
  label: string
}

export interface MigrateOptions {
  /** The records to move; every record of the source when empty. */
  names?: string[]
  /** Remove each source record once the destination holds it (verified by reading it back). */
  deleteSource?: boolean
  /** Who holds the locks meanwhile, as lock holders are named (`ke store migrate`). */
  command: string
  /** Called as each record is done, for output while a long migration runs. */
  onRecord?: (outcome: MigrateOutcome) => void
}

/** The destination keeps fewer history entries than the record had: the oldest were dropped. */
export interface HistoryTrim {
  kept: number
  of: number
}

export type MigrateOutcome =
  | {name: string; result: 'migrated' | 'already there'; historyTrimmed?: HistoryTrim; sourceDeleted: boolean}
  | {name: string; result: 'refused'; error: KeError}

/** Moves the records one at a time; a refused record never stops the others. */
export async function migrateRecords(from: MigrateSide, to: MigrateSide, opts: MigrateOptions): Promise<MigrateOutcome[]> {
  // both stores answer (reachable, initialised) before any record moves: one error, not one per record
  const listed = await from.store.list()
  await to.store.list()
  const names = opts.names && opts.names.length > 0 ? [...new Set(opts.names)] : listed.map((entry) => entry.name)
  const outcomes: MigrateOutcome[] = []
  for (const name of names) {
    let outcome: MigrateOutcome
    try {
      outcome = await migrateOne(name, from, to, opts)
    } catch (error) {
      outcome = {name, result: 'refused', error: asKeError(error, name)}
    }
    outcomes.push(outcome)
    opts.onRecord?.(outcome)
  }
  return outcomes
}

async function migrateOne(name: string, from: MigrateSide, to: MigrateSide, opts: MigrateOptions): Promise<MigrateOutcome> {
  const releases: Release[] = []
  try {
    releases.push(await from.store.lock(name, opts.command))
    releases.push(await to.store.lock(name, opts.command))
    const record = await from.store.load(name)
    const expected = withHistoryLimit(record, to.store.historyLimit)
    const trimmed = expected.history.length < record.history.length ? {kept: expected.history.length, of: record.history.length} : undefined
    let result: 'migrated' | 'already there' = 'already there'
    const there = await loadIfStored(to.store, name)
    if (there) {
      const differ = differingFields(expected, there)
      if (differ.length > 0) {
        throw new KeError('CLUSTER_EXISTS', `${to.label} already has a different record of ${name} (it differs in ${differ.join(', ')}); nothing was overwritten`, {
          cluster: name,
          hint: `compare \`ke inspect ${name} --store ${from.label}\` with \`ke inspect ${name} --store ${to.label}\`, remove the one you do not want, then run \`ke store migrate\` again`,
        })
      }
    } else {
      await writeVerified(record, expected, to)
      result = 'migrated'
    }
    if (opts.deleteSource) await from.store.delete(name, {keepLog: true})
    return {name, result, ...(trimmed ? {historyTrimmed: trimmed} : {}), sourceDeleted: Boolean(opts.deleteSource)}
  } finally {
    for (const release of releases.reverse()) await release()
  }
}

/** Writes the record and reads it back; a copy that does not read back as expected is taken away again. */
async function writeVerified(record: ClusterRecord, expected: ClusterRecord, to: MigrateSide): Promise<void> {
  await to.store.put(record)
  const back = await to.store.load(record.name).catch((error: unknown) => error)
  const differ = back instanceof Error ? [] : differingFields(expected, back as ClusterRecord)
  if (back instanceof Error || differ.length > 0) {
    await to.store.delete(record.name, {keepLog: true})
    const why = back instanceof Error ? `it could not be read back (${back.message})` : `it read back different in ${differ.join(', ')}`
    throw new KeError('STATE_UNREADABLE', `${record.name} was written to ${to.label} but ${why}; that copy was removed and the source kept`, {
      cluster: record.name,
      hint: 'report this as a bug of ke, with the record (`ke inspect`, secrets redacted)',
    })
  }
}

/**
 * The top-level fields in which two records differ (names only: values may be secret). Compared as
 * JSON holds them, so a field set to undefined equals a missing one.
 */
export function differingFields(a: ClusterRecord, b: ClusterRecord): string[] {
  const left = JSON.parse(JSON.stringify(a)) as Record<string, unknown>
  const right = JSON.parse(JSON.stringify(b)) as Record<string, unknown>
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => !isDeepStrictEqual(left[key], right[key])).sort()
}

function asKeError(error: unknown, name: string): KeError {
  if (isKeError(error)) return error
  return new KeError('INTERNAL', `${name}: ${(error as Error)?.message ?? String(error)}`, {cluster: name, cause: error})
}

/** The stored record, or undefined when there is none: one read where exists() + load() would be two. */
async function loadIfStored(store: ClusterStore, name: string): Promise<ClusterRecord | undefined> {
  return store.load(name).catch((error: unknown) => {
    if (isKeError(error) && error.keCode === 'CLUSTER_NOT_FOUND') return undefined
    throw error
  })
}

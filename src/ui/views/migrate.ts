// What `ke store migrate` prints: a line per record as it is done, then a summary line.
import type {MigrateOutcome} from '../../store/migrate.js'

export interface MigrateJsonRecord {
  name: string
  result: MigrateOutcome['result']
  sourceDeleted?: boolean
  historyTrimmed?: {kept: number; of: number}
  error?: {code: string; message: string; exit: number}
}

export function migrateLine(outcome: MigrateOutcome, sourceLabel: string): string {
  // the line is all a user sees of a refused record: it carries what to do, as an error's line does
  if (outcome.result === 'refused') return `${outcome.name}: refused: ${outcome.error.message}${outcome.error.hint ? ` (${outcome.error.hint})` : ''}`
  const notes = [
    ...(outcome.historyTrimmed ? [`history trimmed to the newest ${outcome.historyTrimmed.kept} of ${outcome.historyTrimmed.of} entries`] : []),
    ...(outcome.sourceDeleted ? [`removed from ${sourceLabel}`] : []),
  ]
  return `${outcome.name}: ${outcome.result}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`
}

export function migrateSummary(outcomes: MigrateOutcome[], from: string, to: string, deleteSource: boolean): string {
  const count = (result: MigrateOutcome['result']) => outcomes.filter((o) => o.result === result).length
  if (outcomes.length === 0) return `${from} holds no records: nothing to migrate to ${to}`
  const trimmed = outcomes.filter((o) => o.result !== 'refused' && o.historyTrimmed).length
  const source = deleteSource ? 'removed from the source once verified' : `kept in ${from} (use --delete-source to remove them)`
  return [
    `${from} → ${to}: ${count('migrated')} migrated, ${count('already there')} already there, ${count('refused')} refused, of ${outcomes.length};`,
    ` records moved are ${source}`,
    trimmed > 0 ? `; ${trimmed} had their history trimmed` : '',
  ].join('')
}

export function migrateJson(outcome: MigrateOutcome): MigrateJsonRecord {
  if (outcome.result === 'refused') {
    return {name: outcome.name, result: 'refused', error: {code: outcome.error.keCode, message: outcome.error.message, exit: outcome.error.exitCode}}
  }
  return {name: outcome.name, result: outcome.result, sourceDeleted: outcome.sourceDeleted, ...(outcome.historyTrimmed ? {historyTrimmed: outcome.historyTrimmed} : {})}
}

// What `ke ls` does between parsing and printing, shared by the oclif command (src/commands/ls.ts) and
// the fast path bin/run.js takes for the plain forms (src/cli/fast-ls.ts): both print the same bytes.
import {KeError} from '../errors.js'
import {listCurrent} from '../cluster/live-status.js'
import type {ClusterStore} from '../store/cluster-store.js'
import type {Colors} from '../ui/colors.js'
import {renderClusterTable, toRow, type ClusterRow} from '../ui/views/cluster.js'

export const FILTER_KEYS = ['name', 'driver', 'status'] as const

export type Filter = [keyof ClusterRow, string]

/** `--filter key=value`, the value may hold `=`. */
export function parseFilter(text: string): Filter {
  const [key, ...rest] = text.split('=')
  if (!(FILTER_KEYS as readonly string[]).includes(key) || rest.length === 0) {
    throw new KeError('BAD_FLAG', `--filter ${JSON.stringify(text)} is not key=value with key one of ${FILTER_KEYS.join(', ')}`, {hint: 'e.g. --filter status=Running'})
  }
  return [key as keyof ClusterRow, rest.join('=')]
}

/** The rows `ke ls` shows: every cluster as it stands, those matching all filters. */
export async function listRows(store: ClusterStore, filters: Filter[]): Promise<ClusterRow[]> {
  return (await listCurrent(store)).map(toRow).filter((row) => filters.every(([key, value]) => String(row[key]) === value))
}

/** What `ke ls` prints on stdout without --json: names (-q) or the table; nothing for no names. */
export function listText(rows: ClusterRow[], opts: {names: boolean; colors: Colors}): string | undefined {
  if (!opts.names) return renderClusterTable(rows, opts.colors)
  return rows.length > 0 ? rows.map((row) => row.name).join('\n') : undefined
}

/** A warning for each record ke cannot read, saying how to drop it. */
export function unreadableWarnings(rows: ClusterRow[]): string[] {
  return rows.filter((row) => row.status === 'unreadable').map((row) => `${row.reason}; run \`ke rm -f ${row.name}\``)
}

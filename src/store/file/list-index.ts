// What `ke ls` shows of every cluster, without reading every record: records carry certificates and
// driver state (tens of KiB each), the table needs six fields. `$KE_HOME/clusters/.ls-index.json`
// keeps those fields beside the stat of the record they came from. A reader trusts an entry only
// while the record's stat still matches it; any other record (new, rewritten, written by another
// ke, edited by hand) is read in full, and the index is then rewritten atomically. The index is a
// cache: losing it, or a write racing another, costs speed, never a wrong row.
import {readdirSync, readFileSync, statSync, type BigIntStats} from 'node:fs'
import {join} from 'node:path'
import {KeError} from '../../errors.js'
import {writeFileAtomic} from '../../fs/atomic.js'
import {summaryOf, type ClusterSummary, type UnreadableCluster} from '../cluster-store.js'
import {parseRecord, type FileStore} from './file-store.js'

const INDEX_FILE = '.ls-index.json'
const INDEX_VERSION = 1
/**
 * A record changed this shortly before the index is written may change again within the same
 * timestamp tick without its stat telling: such entries are not kept. Ticks are nanoseconds on
 * most file systems, and up to two seconds on some (whole seconds in the stat show it).
 */
const RACY_NS = 10_000_000n
const RACY_COARSE_NS = 2_000_000_000n

interface IndexEntry {
  stat: string
  summary: ClusterSummary
}

/** Every cluster's summary, sorted by name; unreadable records are returned as such. */
export function listSummaries(store: FileStore): Array<ClusterSummary | UnreadableCluster> {
  let names: string[]
  try {
    names = readdirSync(store.clustersDir).filter((entry) => !entry.startsWith('.')).sort()
  } catch {
    return []
  }
  const indexPath = join(store.clustersDir, INDEX_FILE)
  const index = readIndex(indexPath)
  const fresh: Record<string, IndexEntry> = {}
  const out: Array<ClusterSummary | UnreadableCluster> = []
  let changed = false
  for (const name of names) {
    const recordPath = join(store.clustersDir, name, 'cluster.json')
    const stat = statOf(recordPath)
    if (!stat) continue
    const key = statKey(stat)
    const known = index[name]
    if (known?.stat === key) {
      out.push(known.summary)
      fresh[name] = known
      continue
    }
    changed = true
    const entry = readSummary(name, recordPath)
    out.push(entry)
    if (!('unreadable' in entry) && !isRacy(stat)) fresh[name] = {stat: key, summary: entry}
  }
  if (changed || Object.keys(fresh).length !== Object.keys(index).length) writeIndex(indexPath, fresh)
  return out
}

function statOf(path: string): BigIntStats | undefined {
  try {
    return statSync(path, {bigint: true})
  } catch {
    // gone, or a stray file in clusters/ (ENOTDIR): not a cluster
    return undefined
  }
}

/** A rewrite goes through a rename: a new inode and ctime, whatever the size and mtime. */
function statKey(stat: BigIntStats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`
}

function isRacy(stat: BigIntStats): boolean {
  const now = BigInt(Date.now()) * 1_000_000n
  const window = stat.mtimeNs % 1_000_000_000n === 0n ? RACY_COARSE_NS : RACY_NS
  return now - stat.mtimeNs < window || now - stat.ctimeNs < window
}

function readSummary(name: string, recordPath: string): ClusterSummary | UnreadableCluster {
  let text: string
  try {
    text = readFileSync(recordPath, 'utf8')
  } catch (error) {
    return {name, unreadable: (error as Error).message}
  }
  try {
    return summaryOf(parseRecord(name, text))
  } catch (error) {
    return {name, unreadable: error instanceof KeError ? error.message : String(error)}
  }
}

function readIndex(path: string): Record<string, IndexEntry> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'))
    if (data?.version === INDEX_VERSION && typeof data.entries === 'object' && data.entries !== null) return data.entries
  } catch {
    // missing or torn by hand: rebuilt from the records
  }
  return {}
}

function writeIndex(path: string, entries: Record<string, IndexEntry>): void {
  try {
    writeFileAtomic(path, JSON.stringify({version: INDEX_VERSION, entries}), {durable: false})
  } catch {
    // a read-only KE_HOME still lists; the next writable run builds the index
  }
}

import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import type {FileStore} from '../store/file-store.js'

/** Names of the clusters ke knows, without reading their records (shell completion runs on every Tab). */
export function clusterNames(store: FileStore): string[] {
  let entries: string[]
  try {
    entries = readdirSync(store.clustersDir)
  } catch {
    return []
  }
  return entries.filter((entry) => !entry.startsWith('.') && existsSync(join(store.clustersDir, entry, 'cluster.json'))).sort()
}

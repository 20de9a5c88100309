// Clusters on disk: $KE_HOME/clusters/<name>/cluster.json (0600, atomic writes) beside the driver log.
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {KeError} from '../errors.js'
import {isStatus} from '../cluster/status.js'
import {writeFileAtomic, ensurePrivateDir} from './atomic.js'
import {SCHEMA_VERSION, type ClusterRecord} from './cluster-record.js'
import {validateClusterName} from './names.js'

/** A listed cluster whose record could not be read: `ke ls` shows it instead of failing. */
export interface UnreadableCluster {
  name: string
  unreadable: string
}

export class FileStore {
  /** `home` is $KE_HOME, resolved by the caller; the store never reads the environment. */
  constructor(readonly home: string) {}

  get clustersDir(): string {
    return join(this.home, 'clusters')
  }

  get runDir(): string {
    return join(this.home, 'run')
  }

  get driversDir(): string {
    return join(this.home, 'drivers')
  }

  get kubeconfigPath(): string {
    return join(this.home, 'kubeconfig')
  }

  clusterDir(name: string): string {
    return join(this.clustersDir, validateClusterName(name))
  }

  recordPath(name: string): string {
    return join(this.clusterDir(name), 'cluster.json')
  }

  logPath(name: string): string {
    return join(this.clusterDir(name), 'driver.log')
  }

  exists(name: string): boolean {
    return existsSync(this.recordPath(name))
  }

  load(name: string): ClusterRecord {
    const path = this.recordPath(name)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KeError('CLUSTER_NOT_FOUND', `cluster ${name} not found`, {cluster: name, hint: 'see `ke ls` for the clusters ke knows'})
      }
      throw unreadable(name, (error as Error).message)
    }
    return parseRecord(name, text)
  }

  save(record: ClusterRecord): ClusterRecord {
    const saved = {...record, schemaVersion: SCHEMA_VERSION, updatedAt: new Date().toISOString()}
    ensurePrivateDir(this.clustersDir)
    writeFileAtomic(this.recordPath(record.name), `${JSON.stringify(saved, null, 2)}\n`)
    return saved
  }

  delete(name: string): void {
    rmSync(this.clusterDir(name), {recursive: true, force: true})
  }

  /** Every cluster, sorted by name; unreadable ones are returned as such rather than thrown. */
  list(): Array<ClusterRecord | UnreadableCluster> {
    let names: string[]
    try {
      names = readdirSync(this.clustersDir).filter((entry) => !entry.startsWith('.')).sort()
    } catch {
      return []
    }
    const out: Array<ClusterRecord | UnreadableCluster> = []
    for (const name of names) {
      let text: string
      try {
        text = readFileSync(join(this.clustersDir, name, 'cluster.json'), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') continue
        out.push({name, unreadable: (error as Error).message})
        continue
      }
      try {
        out.push(parseRecord(name, text))
      } catch (error) {
        out.push({name, unreadable: error instanceof KeError ? error.message : String(error)})
      }
    }
    return out
  }
}

export function isUnreadable<T extends object>(entry: T | UnreadableCluster): entry is UnreadableCluster {
  return 'unreadable' in entry
}

function unreadable(name: string, reason: string): KeError {
  return new KeError('STATE_UNREADABLE', `state of ${name} is unreadable: ${reason}`, {
    cluster: name,
    hint: `run \`ke rm -f ${name}\` to drop it (cloud resources it made may remain)`,
  })
}

export function parseRecord(name: string, text: string): ClusterRecord {
  let data: any
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw unreadable(name, `cluster.json is not valid JSON (${(error as Error).message})`)
  }
  if (typeof data !== 'object' || data === null) throw unreadable(name, 'cluster.json does not hold an object')
  if (typeof data.schemaVersion !== 'number') throw unreadable(name, 'cluster.json has no schemaVersion')
  if (data.schemaVersion > SCHEMA_VERSION) {
    throw new KeError('STATE_FROM_NEWER_KE', `state of ${name} was written by a newer ke (schema ${data.schemaVersion}, this ke reads ${SCHEMA_VERSION})`, {
      cluster: name,
      hint: 'upgrade ke to manage this cluster',
    })
  }
  if (data.name !== name) throw unreadable(name, `cluster.json names cluster ${JSON.stringify(data.name)}`)
  if (!isStatus(data.status)) throw unreadable(name, `unknown status ${JSON.stringify(data.status)}`)
  if (typeof data.driver?.ref !== 'string') throw unreadable(name, 'cluster.json names no driver')
  return {history: [], options: {}, ...data} as ClusterRecord
}

// Clusters on disk: $KE_HOME/clusters/<name>/cluster.json (0600, atomic writes) beside the driver log,
// locks under $KE_HOME/locks (store/lock.ts), the `ke ls` cache in clusters/.ls-index.json (list-index.ts).
import {existsSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {KeError} from '../../errors.js'
import {writeFileAtomic, ensurePrivateDir, removeAllBut, removeTree} from '../../fs/atomic.js'
import {SCHEMA_VERSION, isStatus, type ClusterRecord} from '../cluster-record.js'
import type {ClusterStore, ClusterSummary, DeleteOptions, Release, UnreadableCluster} from '../cluster-store.js'
import {listSummaries} from './list-index.js'
import {assertNotBusy, isHeldByLiveKe, lockCluster} from './lock.js'
import {validateClusterName} from '../names.js'

export class FileStore implements ClusterStore {
  readonly kind = 'file'

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

  async exists(name: string): Promise<boolean> {
    return this.existsSync(name)
  }

  async load(name: string): Promise<ClusterRecord> {
    return this.loadSync(name)
  }

  async save(record: ClusterRecord): Promise<ClusterRecord> {
    return this.put({...record, schemaVersion: SCHEMA_VERSION, updatedAt: new Date().toISOString()})
  }

  async put(record: ClusterRecord): Promise<ClusterRecord> {
    ensurePrivateDir(this.clustersDir)
    writeFileAtomic(this.recordPath(record.name), recordJson(record))
    return record
  }

  async delete(name: string, opts: DeleteOptions = {}): Promise<void> {
    if (opts.keepLog) removeAllBut(this.clusterDir(name), basename(this.logPath(name)))
    else removeTree(this.clusterDir(name))
  }

  async list(): Promise<Array<ClusterSummary | UnreadableCluster>> {
    return listSummaries(this)
  }

  async lock(name: string, command: string): Promise<Release> {
    return lockCluster(this.home, validateClusterName(name), command)
  }

  async assertNotBusy(name: string): Promise<void> {
    assertNotBusy(this.home, name)
  }

  async isHeldByLiveHolder(name: string): Promise<boolean> {
    return isHeldByLiveKe(this.home, name)
  }

  /** For code that cannot wait (the help class): the lifecycle uses exists(). */
  existsSync(name: string): boolean {
    return existsSync(this.recordPath(name))
  }

  /** For code that cannot wait (the help class): the lifecycle uses load(). */
  loadSync(name: string): ClusterRecord {
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
}

/** cluster.json's field order: a record gives the same bytes whichever store it came from (`ke store migrate`). */
const FIELD_ORDER = ['schemaVersion', 'name', 'driver', 'status', 'displayName', 'reason', 'errorLog', 'createdAt', 'updatedAt', 'options', 'keyStyle', 'history', 'info'] as const

/** The record as cluster.json holds it: known fields in FIELD_ORDER, options sorted by name, the driver's info verbatim. */
export function recordJson(record: ClusterRecord): string {
  const fields = record as unknown as Record<string, unknown>
  const {ref, display, attached, ...moreDriver} = record.driver
  const ordered: Record<string, unknown> = {
    ...Object.fromEntries(FIELD_ORDER.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]])),
    ...fields,
    driver: {ref, display, ...(attached !== undefined ? {attached} : {}), ...moreDriver},
    options: Object.fromEntries(Object.entries(record.options ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    history: (record.history ?? []).map(({at, status, command, reason, ...more}) => ({at, status, command, ...(reason !== undefined ? {reason} : {}), ...more})),
  }
  return `${JSON.stringify(ordered, null, 2)}\n`
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
  // in the file's order (`ke inspect` shows it so: name, driver and status first, history near the end)
  return {...data, history: data.history ?? [], options: data.options ?? {}} as ClusterRecord
}

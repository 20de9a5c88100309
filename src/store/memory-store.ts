// A ClusterStore in memory, for specifications of the lifecycle: the same contract as the file store
// (validated names, whole-record writes, one holder per lock, CLUSTER_BUSY naming it) without a disk.
// Records are copied in and out, so a caller changing an object it got never changes what is stored.
import {KeError} from '../errors.js'
import {SCHEMA_VERSION, type ClusterRecord} from './cluster-record.js'
import {summaryOf, type ClusterStore, type ClusterSummary, type Release} from './cluster-store.js'
import {validateClusterName} from './names.js'

export class MemoryStore implements ClusterStore {
  readonly kind = 'memory'
  private readonly records = new Map<string, ClusterRecord>()
  /** Lock holders by cluster name: the command that holds it. */
  private readonly holders = new Map<string, string>()

  /** `logDir` is where logPath points; nothing is written there by the store. */
  constructor(private readonly logDir = '/nonexistent/ke-memory-store') {}

  async exists(name: string): Promise<boolean> {
    return this.records.has(validateClusterName(name))
  }

  async load(name: string): Promise<ClusterRecord> {
    const found = this.records.get(validateClusterName(name))
    if (!found) throw new KeError('CLUSTER_NOT_FOUND', `cluster ${name} not found`, {cluster: name, hint: 'see `ke ls` for the clusters ke knows'})
    return structuredClone(found)
  }

  async save(record: ClusterRecord): Promise<ClusterRecord> {
    validateClusterName(record.name)
    const saved = structuredClone({...record, schemaVersion: SCHEMA_VERSION, updatedAt: new Date().toISOString()})
    this.records.set(record.name, saved)
    return structuredClone(saved)
  }

  async put(record: ClusterRecord): Promise<ClusterRecord> {
    validateClusterName(record.name)
    this.records.set(record.name, structuredClone(record))
    return structuredClone(record)
  }

  async delete(name: string): Promise<void> {
    this.records.delete(validateClusterName(name))
  }

  async list(): Promise<ClusterSummary[]> {
    return [...this.records.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => summaryOf(structuredClone(record)))
  }

  async lock(name: string, command: string): Promise<Release> {
    validateClusterName(name)
    await this.assertNotBusy(name)
    this.holders.set(name, command)
    let released = false
    return async () => {
      if (released) return
      released = true
      this.holders.delete(name)
    }
  }

  async assertNotBusy(name: string): Promise<void> {
    const holder = this.holders.get(name)
    if (holder !== undefined) {
      throw new KeError('CLUSTER_BUSY', `cluster ${name} is busy (${holder})`, {cluster: name, hint: 'wait for that command to finish, or stop it'})
    }
  }

  async isHeldByLiveHolder(name: string): Promise<boolean> {
    return this.holders.has(name)
  }

  logPath(name: string): string {
    return `${this.logDir}/${validateClusterName(name)}/driver.log`
  }

  /** For specs: what is stored right now, without going through load (no copy of a missing record fails). */
  peek(name: string): ClusterRecord | undefined {
    const found = this.records.get(name)
    return found && structuredClone(found)
  }
}

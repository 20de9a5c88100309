// The sample driver's simulated cloud provider: a directory, so "cloud resources" outlive the driver
// process (as real ones do) and tests can see exactly what the driver received and made.
import {createHash, randomBytes} from 'node:crypto'
import {appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
// the simulation, not the driver: it shares ke's rule for what a secret is named
import {looksSecret} from '../../protocol/secret-names.js'

export interface SampleCluster {
  id: string
  name: string
  region: string
  nodeCount: number
  kubernetesVersion: string
  diskSizeGb?: number
  enableLogging?: boolean
  private: boolean
  labels: string[]
  token: string
  createdAt: string
}

export interface Snapshot {
  name: string
  kubernetesVersion: string
  nodeCount: number
  savedAt: string
}

/** KE_SAMPLE_CLOUD, else `sample-cloud` under KE_HOME (inherited from ke), else under ~/.ke. */
export function cloudRootFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.KE_SAMPLE_CLOUD ?? join(env.KE_HOME ?? join(homedir(), '.ke'), 'sample-cloud')
}

/** Secrets are recorded as a hash, so tests can check what arrived without the cloud holding it. */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`
}

/**
 * Every value under a name that looks secret (ke's one rule), hashed: undeclared options (`--set api-token=…`)
 * reach the driver as plain strings, and the driver cannot tell them from others.
 */
function withSecretsHashed(value: unknown, name = ''): unknown {
  if (typeof value === 'string') return value && looksSecret(name) && !value.startsWith('sha256:') ? fingerprint(value) : value
  if (Array.isArray(value)) return value.map((item) => withSecretsHashed(item, name))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecretsHashed(item, key)]))
}

export class SampleCloud {
  /** Nothing is written until a request arrives: starting the driver to read its options leaves no trace. */
  constructor(readonly root: string) {}

  /** Appends one received request to requests.jsonl. */
  recordRequest(method: string, request: unknown): void {
    mkdirSync(this.root, {recursive: true, mode: 0o700})
    appendFileSync(join(this.root, 'requests.jsonl'), `${JSON.stringify({at: new Date().toISOString(), method, request: withSecretsHashed(request)})}\n`, {mode: 0o600})
  }

  newId(): string {
    return `c-${randomBytes(4).toString('hex')}`
  }

  newToken(): string {
    return `sample-token-${randomBytes(16).toString('hex')}`
  }

  private dir(id: string): string {
    if (!/^c-[0-9a-f]+$/.test(id)) throw new Error(`invalid sample cluster id ${JSON.stringify(id)}`)
    return join(this.root, 'clusters', id)
  }

  find(id: string): SampleCluster | undefined {
    const file = join(this.dir(id), 'cluster.json')
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SampleCluster) : undefined
  }

  get(id: string): SampleCluster {
    const cluster = this.find(id)
    if (!cluster) throw new Error(`sample cluster ${id} does not exist in the sample cloud (${this.root})`)
    return cluster
  }

  put(cluster: SampleCluster): SampleCluster {
    const dir = this.dir(cluster.id)
    mkdirSync(join(dir, 'snapshots'), {recursive: true, mode: 0o700})
    const temp = join(dir, '.cluster.json.tmp')
    writeFileSync(temp, JSON.stringify(cluster, null, 2), {mode: 0o600})
    renameSync(temp, join(dir, 'cluster.json'))
    return cluster
  }

  delete(id: string): boolean {
    const dir = this.dir(id)
    const existed = existsSync(dir)
    rmSync(dir, {recursive: true, force: true})
    return existed
  }

  /** A cluster by its name in a region: names are unique there, as a real provider's are. */
  findByName(name: string, region: string): SampleCluster | undefined {
    for (const id of this.list()) {
      const cluster = this.find(id)
      if (cluster?.name === name && cluster.region === region) return cluster
    }
    return undefined
  }

  list(): string[] {
    return existsSync(join(this.root, 'clusters')) ? readdirSync(join(this.root, 'clusters')) : []
  }

  saveSnapshot(id: string, snapshot: Snapshot): void {
    writeFileSync(this.snapshotPath(id, snapshot.name), JSON.stringify(snapshot), {mode: 0o600})
  }

  loadSnapshot(id: string, name: string): Snapshot {
    const file = this.snapshotPath(id, name)
    if (!existsSync(file)) throw new Error(`snapshot ${name} of sample cluster ${id} does not exist`)
    return JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  }

  removeSnapshot(id: string, name: string): void {
    const file = this.snapshotPath(id, name)
    if (!existsSync(file)) throw new Error(`snapshot ${name} of sample cluster ${id} does not exist`)
    rmSync(file)
  }

  private snapshotPath(id: string, name: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new Error(`invalid snapshot name ${JSON.stringify(name)}`)
    return join(this.dir(id), 'snapshots', `${name}.json`)
  }
}

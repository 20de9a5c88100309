// The sample driver: a complete driver written only with the ke SDK, against a simulated cloud.
// Copy this file to start your own; replace SampleCloud calls with your provider's API.
import {
  CreateFailedError,
  defineOptions,
  log,
  loadState,
  option,
  saveState,
  UsageError,
  type ClusterInfo,
  type Driver,
  type K8sCapabilities,
  type Options,
} from '../../sdk/index.js'
import {fingerprint, type SampleCloud, type SampleCluster} from './cloud.js'

/** What the driver keeps in metadata.state: just enough to find its cloud resources again. */
interface SampleState {
  clusterId: string
  region: string
}

// A self-signed CA's certificate, base64 as ClusterInfo requires; the simulated API serves nothing.
const SAMPLE_CA = Buffer.from('-----BEGIN CERTIFICATE-----\nc2FtcGxlIGNsdXN0ZXIgQ0E=\n-----END CERTIFICATE-----\n').toString('base64')

const SECRET_OPTIONS = new Set(['api-key', 'apiKey'])

const DEFAULT_REGION = 'sample-east-1'
const DEFAULT_NODE_COUNT = 3
// an empty version asks for the provider's default, as on most clouds
const DEFAULT_VERSION = 'v1.30.2'

// What the (simulated) provider accepts, checked before anything is made, as a real provider's API
// checks. A refused option is a UsageError: the host hears "the user's mistake, nothing was changed"
// (gRPC INVALID_ARGUMENT; ke exits 2 and keeps no record of a first create, nor an Error after an update).
const KUBERNETES_VERSION = /^v?\d+\.\d+(\.\d+)?$/
const REGION = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

function versionProblem(version: string): string | undefined {
  return KUBERNETES_VERSION.test(version) ? undefined : `"${version}" is not a Kubernetes version like ${DEFAULT_VERSION}`
}

function checkNodeCount(count: number | undefined): void {
  if (count !== undefined && count < 1) throw new UsageError(`node-count must be at least 1, got ${count}`)
}

function checkVersion(version: string): void {
  const problem = versionProblem(version)
  if (problem) throw new UsageError(problem)
}

function checkRegion(region: string): void {
  if (!REGION.test(region)) throw new UsageError(`region "${region}" is not a region name like ${DEFAULT_REGION} (1 to 63 lower-case letters, digits and inner dashes)`)
}

/** What a create asks of the provider, each value checked as its API would check it. */
function wantedCluster(options: Options): Pick<SampleCluster, 'region' | 'nodeCount' | 'kubernetesVersion'> {
  const wanted = {
    region: options.string('region', DEFAULT_REGION),
    nodeCount: options.int('node-count', DEFAULT_NODE_COUNT),
    kubernetesVersion: options.string('kubernetes-version') || DEFAULT_VERSION,
  }
  checkNodeCount(wanted.nodeCount)
  checkRegion(wanted.region)
  checkVersion(wanted.kubernetesVersion)
  return wanted
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Requests as received, with the secret option replaced by its fingerprint. */
function recordable(options: Options): unknown {
  const stringOptions = Object.fromEntries(
    Object.entries(options.raw.stringOptions).map(([key, value]) => [key, SECRET_OPTIONS.has(key) && value ? fingerprint(value) : value]),
  )
  return {...options.raw, stringOptions}
}

function recordableInfo(info: ClusterInfo | undefined): unknown {
  if (!info) return undefined
  return {...info, serviceAccountToken: info.serviceAccountToken ? fingerprint(info.serviceAccountToken) : ''}
}

export class SampleDriver implements Driver {
  constructor(private readonly cloud: SampleCloud) {}

  getDriverCreateOptions() {
    return defineOptions({
      region: option.string('region the cluster runs in', {default: DEFAULT_REGION}),
      'node-count': option.int('number of worker nodes', {default: DEFAULT_NODE_COUNT}),
      'kubernetes-version': option.string('Kubernetes version of the cluster', {default: DEFAULT_VERSION}),
      'disk-size-gb': option.intPtr('disk size of each node in GB (provider default when unset)'),
      'enable-logging': option.boolPtr('ship cluster logs to the provider', {default: true}),
      private: option.bool('give nodes private addresses only'),
      labels: option.stringSlice('labels for every node, as key=value'),
      'api-key': option.password('API key of the (simulated) provider account'),
      'create-seconds': option.int('test lever: Create takes this many seconds', {default: 0}),
      'fail-after-create': option.bool('test lever: make the resources, then report create_error'),
      'start-delay-ms': option.int('test lever: wait this long before listening (read from KE_OPT_START_DELAY_MS at start-up)', {default: 0}),
    })
  }

  getDriverUpdateOptions() {
    return defineOptions({
      'node-count': option.intPtr('number of worker nodes'),
      'kubernetes-version': option.string('Kubernetes version to move to'),
      labels: option.stringSlice('labels for every node, as key=value'),
    })
  }

  async create(info: ClusterInfo | undefined, options: Options): Promise<ClusterInfo> {
    this.cloud.recordRequest('Create', {options: recordable(options), info: recordableInfo(info)})
    const wanted = wantedCluster(options)
    const name = options.string('name')
    if (!name) throw new Error('the host sent no cluster name (string option "name")')

    // a retried create finds the resources the failed one made: by their id in the state it returned, else
    // by name, as on a real provider, for a host killed before the state came back (issue 16: kill -9)
    const previous = loadState<SampleState>(info)
    const existing = (previous && this.cloud.find(previous.clusterId)) ?? this.cloud.findByName(name, wanted.region)
    const cluster = existing ?? this.cloud.put(this.newCluster(name, wanted, options))
    log('info', existing ? 'resuming create' : 'creating cluster', {id: cluster.id, region: cluster.region})

    for (let waited = 0; waited < options.int('create-seconds') * 1000; waited += 100) await sleep(100)
    const result = saveState<SampleState>(info, {clusterId: cluster.id, region: cluster.region})
    if (options.bool('fail-after-create')) {
      throw new CreateFailedError(result, `simulated failure after creating ${cluster.id} (fail-after-create)`)
    }
    return {...result, createError: '', version: cluster.kubernetesVersion, nodeCount: cluster.nodeCount}
  }

  async update(info: ClusterInfo, options: Options): Promise<ClusterInfo> {
    this.cloud.recordRequest('Update', {options: recordable(options), info: recordableInfo(info)})
    const cluster = this.clusterOf(info)
    const nodeCount = options.intPtr('node-count')
    checkNodeCount(nodeCount)
    const version = options.string('kubernetes-version')
    if (version) checkVersion(version)
    const labels = options.has('labels') ? options.stringSlice('labels') : cluster.labels
    const updated = this.cloud.put({...cluster, nodeCount: nodeCount ?? cluster.nodeCount, kubernetesVersion: version || cluster.kubernetesVersion, labels})
    return {...info, version: updated.kubernetesVersion, nodeCount: updated.nodeCount, status: 'Running'}
  }

  async postCheck(info: ClusterInfo): Promise<ClusterInfo> {
    this.cloud.recordRequest('PostCheck', {info: recordableInfo(info)})
    const cluster = this.clusterOf(info)
    return {
      ...info,
      endpoint: `https://${cluster.id}.${cluster.region}.sample.invalid:6443`,
      rootCaCertificate: SAMPLE_CA,
      serviceAccountToken: cluster.token,
      version: cluster.kubernetesVersion,
      nodeCount: cluster.nodeCount,
      // kontainer-engine stores this as the cluster's status after an Update: its word for a live cluster
      status: 'Running',
    }
  }

  async remove(info: ClusterInfo): Promise<void> {
    this.cloud.recordRequest('Remove', {info: recordableInfo(info)})
    const state = loadState<SampleState>(info)
    log('info', 'removing cluster', {id: state?.clusterId ?? ''})
    // test levers from the environment ke passes on (Remove takes no options): slow, or failing
    for (let waited = 0; waited < Number(process.env.KE_SAMPLE_REMOVE_SECONDS ?? 0) * 1000; waited += 100) await sleep(100)
    if (process.env.KE_SAMPLE_FAIL_REMOVE) throw new Error(`simulated failure removing ${state?.clusterId} (KE_SAMPLE_FAIL_REMOVE)`)
    if (state && !this.cloud.delete(state.clusterId)) log('warning', 'cluster already gone', {id: state.clusterId})
  }

  async getVersion(info: ClusterInfo): Promise<string> {
    this.cloud.recordRequest('GetVersion', {info: recordableInfo(info)})
    return this.clusterOf(info).kubernetesVersion
  }

  async setVersion(info: ClusterInfo, version: string): Promise<void> {
    this.cloud.recordRequest('SetVersion', {info: recordableInfo(info), version})
    // `ke version set` is not an options call: a plain error, as Go drivers give
    const problem = versionProblem(version)
    if (problem) throw new Error(problem)
    this.cloud.put({...this.clusterOf(info), kubernetesVersion: version})
  }

  async getNodeCount(info: ClusterInfo): Promise<number> {
    this.cloud.recordRequest('GetNodeCount', {info: recordableInfo(info)})
    return this.clusterOf(info).nodeCount
  }

  async setNodeCount(info: ClusterInfo, count: number): Promise<void> {
    this.cloud.recordRequest('SetNodeCount', {info: recordableInfo(info), count})
    if (count < 1) throw new Error(`node count must be at least 1, got ${count}`)
    this.cloud.put({...this.clusterOf(info), nodeCount: count})
  }

  async etcdSave(info: ClusterInfo, _options: Options, snapshotName: string): Promise<void> {
    this.cloud.recordRequest('ETCDSave', {info: recordableInfo(info), snapshotName})
    const cluster = this.clusterOf(info)
    this.cloud.saveSnapshot(cluster.id, {name: snapshotName, kubernetesVersion: cluster.kubernetesVersion, nodeCount: cluster.nodeCount, savedAt: new Date().toISOString()})
  }

  async etcdRestore(info: ClusterInfo, _options: Options, snapshotName: string): Promise<ClusterInfo> {
    this.cloud.recordRequest('ETCDRestore', {info: recordableInfo(info), snapshotName})
    const cluster = this.clusterOf(info)
    const snapshot = this.cloud.loadSnapshot(cluster.id, snapshotName)
    const restored = this.cloud.put({...cluster, kubernetesVersion: snapshot.kubernetesVersion, nodeCount: snapshot.nodeCount})
    return {...info, version: restored.kubernetesVersion, nodeCount: restored.nodeCount}
  }

  async etcdRemoveSnapshot(info: ClusterInfo, _options: Options, snapshotName: string): Promise<void> {
    this.cloud.recordRequest('ETCDRemoveSnapshot', {info: recordableInfo(info), snapshotName})
    this.cloud.removeSnapshot(this.clusterOf(info).id, snapshotName)
  }

  async getK8sCapabilities(): Promise<K8sCapabilities> {
    return {
      l4LoadBalancer: {enabled: true, provider: 'sample-lb', protocolsSupported: ['TCP', 'UDP'], healthCheckSupported: true},
      ingressControllers: [{ingressProvider: 'nginx', customDefaultBackend: true}],
      nodePoolScalingSupported: true,
      nodePortRange: '30000-32767',
    }
  }

  private newCluster(name: string, wanted: ReturnType<typeof wantedCluster>, options: Options): SampleCluster {
    return {
      id: this.cloud.newId(),
      name,
      ...wanted,
      diskSizeGb: options.intPtr('disk-size-gb'),
      enableLogging: options.boolPtr('enable-logging'),
      private: options.bool('private'),
      labels: options.stringSlice('labels'),
      token: this.cloud.newToken(),
      createdAt: new Date().toISOString(),
    }
  }

  private clusterOf(info: ClusterInfo): SampleCluster {
    const state = loadState<SampleState>(info)
    if (!state) throw new Error('cluster info carries no sample driver state (metadata.state)')
    return this.cloud.get(state.clusterId)
  }
}

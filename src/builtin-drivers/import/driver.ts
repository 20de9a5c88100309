// The import driver: brings a Kubernetes cluster that ke did not create under ke, given its kubeconfig.
// Written with the SDK only. Create checks the API answers and records where it is; PostCheck makes
// this import's own service account (SDK generateServiceAccountToken with an owner) and hands back its
// token; Remove deletes only what carries this import's mark and never touches the cluster itself. Two
// imports of one cluster, or a cluster Rancher also manages, never share (or delete) credentials.
import {randomBytes} from 'node:crypto'
import {
  defineOptions,
  generateServiceAccountToken,
  loadState,
  log,
  option,
  removeServiceAccount,
  saveState,
  type Capabilities,
  type ClusterInfo,
  type Driver,
  type Options,
  UsageError,
} from '../../sdk/index.js'
import {countNodes, kubeConfigFromInfo, readServerVersion, type Caller} from './api.js'
import {caOf, describeCredentials, loadTarget, resolveKubeconfigPath, type ImportTarget, type LoadedTarget} from './target.js'

/** metadata.state: where the cluster is, never how to log in to it. */
interface ImportState extends ImportTarget {
  /** How long PostCheck waits for the token controller. */
  tokenWaitSeconds: number
  /**
   * Names this import's service account (`kontainer-engine-OWNER`) and marks what it made. Absent in
   * imports made before per-import accounts, which used Rancher's shared `kontainer-engine`.
   */
  owner?: string
}

const DEFAULT_TOKEN_WAIT_SECONDS = 30

export class ImportDriver implements Driver {
  getDriverCreateOptions() {
    return defineOptions({
      kubeconfig: option.string('path to the kubeconfig file of the cluster to import (required)'),
      context: option.string("context of that kubeconfig to import (default: the file's current-context)"),
      'token-wait-seconds': option.int('how long to wait for the cluster to fill in the service-account token', {
        default: DEFAULT_TOKEN_WAIT_SECONDS,
      }),
    })
  }

  getDriverUpdateOptions() {
    return defineOptions({})
  }

  getCapabilities(): Capabilities {
    return {getVersion: true, getClusterSize: true, setVersion: false, setClusterSize: false, etcdBackup: false}
  }

  /** Reads the kubeconfig, checks the API answers, records endpoint, CA and version. Changes nothing. */
  async create(info: ClusterInfo | undefined, options: Options): Promise<ClusterInfo> {
    const previous = loadState<ImportState>(info)
    const given = options.string('kubeconfig')
    // a retried create may come without the option: the path recorded last time is already absolute
    const path = given ? resolveKubeconfigPath(given) : previous?.kubeconfig
    if (!path) {
      throw new UsageError('the import driver needs the kubeconfig of the cluster to import: pass --kubeconfig FILE (e.g. --kubeconfig ~/.kube/config)')
    }
    const tokenWaitSeconds = options.int('token-wait-seconds', DEFAULT_TOKEN_WAIT_SECONDS)
    if (tokenWaitSeconds < 1) throw new UsageError(`token-wait-seconds must be at least 1, got ${tokenWaitSeconds}`)
    // the file or context the user named is wrong: a usage mistake, said before anything is recorded
    const loaded = await loadTarget(path, options.string('context') || (given ? '' : (previous?.context ?? ''))).catch((error: Error) => {
      throw new UsageError(error.message)
    })
    const caller = callerOf(loaded)
    const version = await readServerVersion(loaded.kubeConfig, caller)
    const nodeCount = await countNodes(loaded.kubeConfig, caller)
    log('info', 'cluster answers', {server: caller.server, context: loaded.target.context, version, nodes: nodeCount})
    const state: ImportState = {...loaded.target, tokenWaitSeconds, owner: previous?.owner ?? newOwner(options.string('name'))}
    return {
      ...saveState(info, state),
      endpoint: caller.server,
      rootCaCertificate: caOf(loaded),
      version,
      nodeCount,
      createError: '',
    }
  }

  /**
   * Nothing to change on a cluster ke did not make: refreshes version and node count; PostCheck, which
   * follows, makes the service account again if it was deleted. An import made before per-import
   * accounts gets its own now.
   */
  async update(info: ClusterInfo): Promise<ClusterInfo> {
    // with the user's credentials: the stored token may be the very thing this update repairs
    const state = requireState(info)
    const loaded = await loadTarget(state.kubeconfig, state.context)
    const caller = callerOf(loaded)
    const refreshed = {...info, version: await readServerVersion(loaded.kubeConfig, caller), nodeCount: await countNodes(loaded.kubeConfig, caller), status: 'Running'}
    return state.owner ? refreshed : saveState(refreshed, {...state, owner: newOwner('')})
  }

  /** Makes (or finds) the kontainer-engine service account with the user's credentials. Idempotent. */
  async postCheck(info: ClusterInfo): Promise<ClusterInfo> {
    const state = requireState(info)
    const loaded = await loadTarget(state.kubeconfig, state.context)
    const token = await generateServiceAccountToken(loaded.kubeConfig, {timeoutMs: state.tokenWaitSeconds * 1000, owner: state.owner})
    log('info', 'service account ready', {server: loaded.cluster.server, account: `cattle-system/kontainer-engine${state.owner ? `-${state.owner}` : ''}`})
    return {...info, serviceAccountToken: token, status: 'Running'}
  }

  /** Deletes what PostCheck made; the cluster and everything else in it stay. */
  async remove(info: ClusterInfo): Promise<void> {
    await this.removeServiceAccount(info)
  }

  async removeLegacyServiceAccount(info: ClusterInfo): Promise<void> {
    await this.removeServiceAccount(info)
  }

  async getVersion(info: ClusterInfo): Promise<string> {
    const {kubeConfig, caller} = await this.connect(info)
    return readServerVersion(kubeConfig, caller)
  }

  async getNodeCount(info: ClusterInfo): Promise<number> {
    const {kubeConfig, caller} = await this.connect(info)
    return countNodes(kubeConfig, caller)
  }

  async setVersion(): Promise<void> {
    throw new Error('the import driver cannot change the version of a cluster it did not create: upgrade it with the tool that made it')
  }

  async setNodeCount(): Promise<void> {
    throw new Error('the import driver cannot change the node count of a cluster it did not create: resize it with the tool that made it')
  }

  private async removeServiceAccount(info: ClusterInfo): Promise<void> {
    const state = loadState<ImportState>(info)
    if (!state) {
      log('info', 'nothing to remove: the cluster was never imported')
      return
    }
    if (!state.owner) {
      // made before per-import accounts: Rancher's shared account may serve others (Rancher, another import)
      log('warning', 'left alone: this import used the shared service account cattle-system/kontainer-engine, which others may use; delete it yourself if nothing does')
      return
    }
    try {
      const loaded = await loadTarget(state.kubeconfig, state.context)
      const result = await removeServiceAccount(loaded.kubeConfig, {owner: state.owner})
      for (const what of result.deleted) log('info', `deleted ${what}`)
      for (const what of result.kept) log('warning', `left alone: ${what}`)
    } catch (error) {
      // Often the cluster was deleted first (kind delete cluster): say how to forget it anyway.
      throw new Error(
        `${(error as Error).message}; the kontainer-engine service account could not be removed from the cluster: ` +
          'fix that and try again, or drop only the local record with `ke rm --force`',
      )
    }
  }

  /**
   * After PostCheck, the service-account token (what ke's kubeconfig uses, and it outlives short-lived
   * user credentials); before it, the user's kubeconfig.
   */
  private async connect(info: ClusterInfo): Promise<{kubeConfig: LoadedTarget['kubeConfig']; caller: Caller}> {
    if (info.serviceAccountToken && info.endpoint) {
      const caller = {server: info.endpoint, credentials: 'the kontainer-engine service-account token from PostCheck'}
      return {kubeConfig: await kubeConfigFromInfo(info), caller}
    }
    const state = requireState(info)
    const loaded = await loadTarget(state.kubeconfig, state.context)
    return {kubeConfig: loaded.kubeConfig, caller: callerOf(loaded)}
  }
}

/** `NAME-xxxxxx`: readable in `kubectl get sa -n cattle-system`, and unique per import. */
function newOwner(clusterName: string): string {
  const readable = clusterName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30).replace(/-+$/, '')
  const unique = randomBytes(3).toString('hex')
  return readable ? `${readable}-${unique}` : unique
}

function callerOf(loaded: LoadedTarget): Caller {
  return {server: loaded.cluster.server, credentials: describeCredentials(loaded.target)}
}

function requireState(info: ClusterInfo): ImportState {
  const state = loadState<ImportState>(info)
  if (!state?.kubeconfig || !state.context) throw new Error('cluster info carries no import driver state (metadata.state): create the cluster first')
  return {...state, tokenWaitSeconds: state.tokenWaitSeconds || DEFAULT_TOKEN_WAIT_SECONDS}
}

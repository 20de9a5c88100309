// The service-account token a driver hands back from PostCheck.
//
// Rancher's helper (kontainer-engine drivers/util GenerateServiceAccountToken) makes namespace
// `cattle-system`, service account `kontainer-engine`, binds it to ClusterRole `cluster-admin` with the
// ClusterRoleBinding `system-netes-default-clusterRoleBinding` and reads the account's token. We keep
// those names so a cluster prepared by Rancher and one prepared by ke look the same, and re-running either
// finds the other's objects instead of making duplicates.
//
// Since Kubernetes 1.24 no token Secret is made for a service account automatically, so (as newer Rancher
// does) we create a Secret of type `kubernetes.io/service-account-token` annotated with the account's name
// and wait, bounded, until the token controller fills in `data.token`.
//
// Differences from Rancher's helper, on purpose:
// - the ClusterRole `cluster-admin` is never created: every conformant cluster has it, and making one is
//   the kind of privilege change this helper should not do behind a user's back;
// - a namespace this helper creates carries the annotation `ke/created-by: ke`, so `removeServiceAccount`
//   deletes it only when we made it (and it holds nothing else);
// - objects it creates carry the label `app.kubernetes.io/managed-by: ke`;
// - with `owner` (what the import driver passes, one per imported cluster) the account, binding and
//   Secret are that owner's alone (`kontainer-engine-OWNER`), each marked with the annotation
//   `ke/owner: OWNER`, and `removeServiceAccount` deletes only objects that carry that mark. Two imports
//   of one cluster then never share, nor delete, each other's credentials, nor Rancher's.
//
// Errors are plain `Error`s with messages meant for the user; no token ever appears in one.
import {
  AppsV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type Middleware,
  type V1ClusterRoleBinding,
  type V1Namespace,
  type V1Secret,
  type V1ServiceAccount,
} from '@kubernetes/client-node'
import {describeTransportError, seconds, statusBody, statusCode} from '../kube/api-errors.js'

export const SERVICE_ACCOUNT_NAMESPACE = 'cattle-system'
export const SERVICE_ACCOUNT_NAME = 'kontainer-engine'
export const CLUSTER_ROLE_NAME = 'cluster-admin'
export const CLUSTER_ROLE_BINDING_NAME = 'system-netes-default-clusterRoleBinding'
export const TOKEN_SECRET_NAME = 'kontainer-engine-token'
/** Annotation put on the namespace when (and only when) this helper created it. */
export const CREATED_BY_ANNOTATION = 'ke/created-by'
export const CREATED_BY_VALUE = 'ke'
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const MANAGED_BY_VALUE = 'ke'
/** Annotation on each object made for an `owner`; removal checks it. */
export const OWNER_ANNOTATION = 'ke/owner'

const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name'
const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token'

export interface ServiceAccountTokenOptions {
  /** Upper bound for the wait until the token controller fills in the token. Default 30 000 ms. */
  timeoutMs?: number
  /** Pause between two reads of the token Secret while waiting. Default 500 ms. */
  pollMs?: number
  /** Upper bound for each single API request. Default 15 000 ms. */
  requestTimeoutMs?: number
  /** Make a service account for this owner alone (see the top of this file). Default: Rancher's shared one. */
  owner?: string
  /** Where the account lives. Default `cattle-system`, as in Rancher. */
  namespace?: string
}

export interface RemoveServiceAccountOptions {
  /**
   * Delete namespace `cattle-system` too, when it carries our `ke/created-by` annotation and holds nothing
   * but what Kubernetes puts in every namespace. Default true.
   */
  deleteNamespaceIfCreatedByUs?: boolean
  /** Upper bound for each single API request. Default 15 000 ms. */
  requestTimeoutMs?: number
  /** Remove the owner's own account, and only objects marked as the owner's. */
  owner?: string
  /** Where the account lives. Default `cattle-system`. */
  namespace?: string
}

export interface RemoveServiceAccountResult {
  /** What was deleted, e.g. `clusterrolebinding system-netes-default-clusterRoleBinding`. */
  deleted: string[]
  /** What was found and left alone, with the reason, e.g. `namespace cattle-system (not created by ke)`. */
  kept: string[]
}

/**
 * Makes (or finds) the `kontainer-engine` service account with cluster-admin rights on the cluster the
 * kubeconfig's current context points at, and returns its token (decoded, ready for a bearer header).
 * Safe to run again: objects that already exist are reused.
 */
export async function generateServiceAccountToken(
  kubeconfig: KubeConfig,
  opts: ServiceAccountTokenOptions = {},
): Promise<string> {
  const timeoutMs = positive(opts.timeoutMs, 30_000, 'timeoutMs')
  const pollMs = positive(opts.pollMs, 500, 'pollMs')
  const kube = new Kube(kubeconfig, positive(opts.requestTimeoutMs, 15_000, 'requestTimeoutMs'), 'create', accountNames(opts.owner, opts.namespace))
  await ensureNamespace(kube)
  await ensureServiceAccount(kube)
  await ensureClusterRoleBinding(kube)
  await ensureTokenSecret(kube)
  return waitForToken(kube, timeoutMs, pollMs)
}

/**
 * Undoes `generateServiceAccountToken`: deletes the ClusterRoleBinding (when it binds our account), the
 * token Secret (when it belongs to our account) and the service account; deletes namespace
 * `cattle-system` only when we created it and it holds nothing else. Missing objects are fine.
 */
export async function removeServiceAccount(
  kubeconfig: KubeConfig,
  opts: RemoveServiceAccountOptions = {},
): Promise<RemoveServiceAccountResult> {
  const names = accountNames(opts.owner, opts.namespace)
  const kube = new Kube(kubeconfig, positive(opts.requestTimeoutMs, 15_000, 'requestTimeoutMs'), 'remove', names)
  const result: RemoveServiceAccountResult = {deleted: [], kept: []}
  const ns = names.namespace
  const account = `${ns}/${names.account}`

  const binding = await kube.maybe({verb: 'get', resource: 'clusterrolebindings', name: names.binding}, () =>
    kube.rbac.readClusterRoleBinding({name: names.binding}),
  )
  if (binding) {
    const label = `clusterrolebinding ${names.binding}`
    const reason = !bindsOurAccount(binding, names) ? `it does not bind ${account}` : notOurs(binding, names)
    if (reason) {
      result.kept.push(`${label} (${reason})`)
    } else {
      await kube.maybe({verb: 'delete', resource: 'clusterrolebindings', name: names.binding}, () =>
        kube.rbac.deleteClusterRoleBinding({name: names.binding}),
      )
      result.deleted.push(label)
    }
  }

  const secret = await kube.maybe({verb: 'get', resource: 'secrets', namespace: ns, name: names.secret}, () =>
    kube.core.readNamespacedSecret({name: names.secret, namespace: ns}),
  )
  if (secret) {
    const label = `secret ${ns}/${names.secret}`
    const reason = !isOurTokenSecret(secret, names) ? `it is not the token of ${account}` : notOurs(secret, names)
    if (reason) {
      result.kept.push(`${label} (${reason})`)
    } else {
      await kube.maybe({verb: 'delete', resource: 'secrets', namespace: ns, name: names.secret}, () =>
        kube.core.deleteNamespacedSecret({name: names.secret, namespace: ns}),
      )
      result.deleted.push(label)
    }
  }

  const serviceAccount = await kube.maybe({verb: 'get', resource: 'serviceaccounts', namespace: ns, name: names.account}, () =>
    kube.core.readNamespacedServiceAccount({name: names.account, namespace: ns}),
  )
  if (serviceAccount) {
    const reason = notOurs(serviceAccount, names)
    if (reason) {
      result.kept.push(`serviceaccount ${account} (${reason})`)
    } else {
      await kube.maybe({verb: 'delete', resource: 'serviceaccounts', namespace: ns, name: names.account}, () =>
        kube.core.deleteNamespacedServiceAccount({name: names.account, namespace: ns}),
      )
      result.deleted.push(`serviceaccount ${account}`)
    }
  }

  if (opts.deleteNamespaceIfCreatedByUs ?? true) {
    const namespace = await kube.maybe({verb: 'get', resource: 'namespaces', name: ns}, () => kube.core.readNamespace({name: ns}))
    if (namespace) {
      if (namespace.metadata?.annotations?.[CREATED_BY_ANNOTATION] !== CREATED_BY_VALUE) {
        result.kept.push(`namespace ${ns} (not created by ke)`)
      } else {
        const others = await otherContents(kube)
        if (others.length > 0) {
          result.kept.push(`namespace ${ns} (it still holds ${others.join(', ')})`)
        } else {
          await kube.maybe({verb: 'delete', resource: 'namespaces', name: ns}, () => kube.core.deleteNamespace({name: ns}))
          result.deleted.push(`namespace ${ns}`)
        }
      }
    }
  }
  return result
}

// ---------------------------------------------------------------------------------------------------------

interface Operation {
  verb: 'create' | 'get' | 'list' | 'delete'
  resource: string
  namespace?: string
  name?: string
}

/** The API clients plus the server URL and the error translation every call goes through. */
class Kube {
  readonly server: string
  readonly core: CoreV1Api
  readonly rbac: RbacAuthorizationV1Api
  readonly apps: AppsV1Api

  constructor(
    kubeconfig: KubeConfig,
    private readonly requestTimeoutMs: number,
    private readonly purpose: 'create' | 'remove',
    readonly names: AccountNames,
  ) {
    const cluster = kubeconfig.getCurrentCluster()
    if (!cluster?.server) {
      const context = kubeconfig.getCurrentContext()
      throw new Error(
        context
          ? `the kubeconfig's context "${context}" names no cluster with a server URL`
          : 'the kubeconfig has no current context: set current-context or choose a context',
      )
    }
    this.server = cluster.server
    // Bound every request: node-fetch has no timeout of its own, and an API behind a black-holed address
    // would otherwise hang the driver forever.
    const timeout: Middleware = {
      pre: async (context) => {
        context.setSignal(AbortSignal.timeout(requestTimeoutMs))
        return context
      },
      post: async (context) => context,
    }
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: {default: kubeconfig},
      promiseMiddleware: [timeout],
    })
    this.core = new CoreV1Api(config)
    this.rbac = new RbacAuthorizationV1Api(config)
    this.apps = new AppsV1Api(config)
  }

  /** Runs the call; any failure becomes a user-facing Error. */
  async call<T>(op: Operation, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw this.describe(err, op)
    }
  }

  /** Like `call`, but 404 NotFound gives `undefined`. */
  async maybe<T>(op: Operation, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (err) {
      if (statusCode(err) === 404) return undefined
      throw this.describe(err, op)
    }
  }

  /** Runs a create; 409 AlreadyExists gives `undefined`. */
  async create<T>(op: Operation, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (err) {
      if (statusCode(err) === 409) return undefined
      throw this.describe(err, op)
    }
  }

  describe(err: unknown, op: Operation): Error {
    const server = this.server
    const code = statusCode(err)
    if (code !== undefined) {
      const status = statusBody(err)
      if (code === 401) return new Error(`the kubeconfig's credentials were rejected (401 Unauthorized) by ${server}`, {cause: err})
      if (code === 403) {
        const what = this.purpose === 'create' ? 'create' : 'remove'
        return new Error(
          `the kubeconfig's user is not allowed to ${op.verb} ${op.resource} (403 Forbidden): it needs cluster-admin to ${what} ` +
            `the ${this.names.account} service account` +
            (status.message ? ` (the API said: ${status.message})` : ''),
          {cause: err},
        )
      }
      const reason = status.reason ? ` ${status.reason}` : ''
      return new Error(
        `the Kubernetes API at ${server} answered ${code}${reason} to ${op.verb} ${describeTarget(op)}` +
          (status.message ? `: ${status.message}` : ''),
        {cause: err},
      )
    }
    const transport = describeTransportError(err, server, this.requestTimeoutMs)
    if (transport) return transport
    const message = err instanceof Error ? err.message : String(err)
    return new Error(`cannot ${op.verb} ${describeTarget(op)} at ${server}: ${message}`, {cause: err})
  }
}

async function ensureNamespace(kube: Kube): Promise<void> {
  const name = kube.names.namespace
  const body: V1Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {[MANAGED_BY_LABEL]: MANAGED_BY_VALUE},
      annotations: {[CREATED_BY_ANNOTATION]: CREATED_BY_VALUE},
    },
  }
  // A user who may not create namespaces gets 403 even for one that exists (RBAC is checked first):
  // that is fine when it exists and they may use it, so look before reporting the 403.
  const created = await kube.create({verb: 'create', resource: 'namespaces', name}, () => kube.core.createNamespace({body})).catch(async (error: Error) => {
    if (statusCode(error.cause) !== 403) throw error
    if (!(await kube.maybe({verb: 'get', resource: 'namespaces', name}, () => kube.core.readNamespace({name})).catch(() => undefined))) throw error
    return undefined
  })
  if (created) return
  // It exists. A namespace being deleted also answers AlreadyExists, and would then refuse new content
  // with a 403 that reads like missing rights; say what is really going on instead.
  const existing = await kube.call({verb: 'get', resource: 'namespaces', name}, () => kube.core.readNamespace({name}))
  if (existing.status?.phase === 'Terminating') {
    throw new Error(`namespace ${name} is being deleted on ${kube.server}: try again once it is gone`)
  }
}

async function ensureServiceAccount(kube: Kube): Promise<void> {
  const {namespace, account: name} = kube.names
  const body: V1ServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {name, namespace, ...marks(kube.names)},
  }
  const created = await kube.create({verb: 'create', resource: 'serviceaccounts', namespace, name}, () =>
    kube.core.createNamespacedServiceAccount({namespace, body}),
  )
  if (created || !kube.names.owner) return
  const existing = await kube.call({verb: 'get', resource: 'serviceaccounts', namespace, name}, () =>
    kube.core.readNamespacedServiceAccount({name, namespace}),
  )
  refuseUnmarked(kube, `serviceaccount ${namespace}/${name}`, existing)
}

async function ensureClusterRoleBinding(kube: Kube): Promise<void> {
  const {binding: name, account, namespace} = kube.names
  const body: V1ClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {name, ...marks(kube.names)},
    roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CLUSTER_ROLE_NAME},
    subjects: [{kind: 'ServiceAccount', name: account, namespace}],
  }
  const created = await kube.create({verb: 'create', resource: 'clusterrolebindings', name}, () =>
    kube.rbac.createClusterRoleBinding({body}),
  )
  if (created) return
  // A binding of that name exists: reuse it only if it grants what we need (its roleRef cannot be changed,
  // and editing someone else's binding is not ours to do).
  const existing = await kube.call({verb: 'get', resource: 'clusterrolebindings', name}, () =>
    kube.rbac.readClusterRoleBinding({name}),
  )
  if (!bindsOurAccount(existing, kube.names)) {
    throw new Error(
      `clusterrolebinding ${name} already exists on ${kube.server} but does not bind ` +
        `${namespace}/${account} to ClusterRole ${CLUSTER_ROLE_NAME}; ` +
        `ke leaves it alone: delete or fix it, then try again`,
    )
  }
  refuseUnmarked(kube, `clusterrolebinding ${name}`, existing)
}

async function ensureTokenSecret(kube: Kube): Promise<void> {
  const {namespace, secret: name, account} = kube.names
  const {labels, annotations} = marks(kube.names)
  const body: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: SERVICE_ACCOUNT_TOKEN_TYPE,
    metadata: {name, namespace, labels, annotations: {...annotations, [SERVICE_ACCOUNT_NAME_ANNOTATION]: account}},
  }
  const created = await kube.create({verb: 'create', resource: 'secrets', namespace, name}, () =>
    kube.core.createNamespacedSecret({namespace, body}),
  )
  if (created) return
  const existing = await kube.call({verb: 'get', resource: 'secrets', namespace, name}, () =>
    kube.core.readNamespacedSecret({name, namespace}),
  )
  if (!isOurTokenSecret(existing, kube.names)) {
    throw new Error(
      `secret ${namespace}/${name} already exists on ${kube.server} but is not a ${SERVICE_ACCOUNT_TOKEN_TYPE} secret ` +
        `for ${account}; ke leaves it alone: delete it, then try again`,
    )
  }
  refuseUnmarked(kube, `secret ${namespace}/${name}`, existing)
}

async function waitForToken(kube: Kube, timeoutMs: number, pollMs: number): Promise<string> {
  const {namespace, secret: name} = kube.names
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const secret = await kube.maybe({verb: 'get', resource: 'secrets', namespace, name}, () =>
      kube.core.readNamespacedSecret({name, namespace}),
    )
    if (secret === undefined) {
      // The token controller deletes token Secrets whose account was replaced; make ours again.
      await ensureTokenSecret(kube)
    } else {
      const encoded = secret.data?.token
      const token = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : ''
      if (token) return token
    }
    const left = deadline - Date.now()
    if (left <= 0) {
      throw new Error(
        `the token of secret ${namespace}/${name} was not filled in within ${seconds(timeoutMs)} s: ` +
          `is the token controller running?`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)))
  }
}

const EVERY_NAMESPACE_CONFIGMAPS = ['kube-root-ca.crt', 'openshift-service-ca.crt']

/** Names of things in the namespace beyond ours and what Kubernetes puts in every namespace. */
async function otherContents(kube: Kube): Promise<string[]> {
  const {namespace} = kube.names
  type Item = {metadata?: {name?: string; annotations?: Record<string, string>}; type?: string}
  const checks: Array<[string, () => Promise<{items: Item[]}>, (item: Item) => boolean]> = [
    ['serviceaccounts', () => kube.core.listNamespacedServiceAccount({namespace}), (i) => i.metadata?.name === 'default'],
    [
      'secrets',
      () => kube.core.listNamespacedSecret({namespace}),
      // Clusters before 1.24 made a token Secret for the `default` account automatically.
      (i) => i.type === SERVICE_ACCOUNT_TOKEN_TYPE && i.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION] === 'default',
    ],
    // published into every namespace by the controller-manager (the second by OpenShift's)
    ['configmaps', () => kube.core.listNamespacedConfigMap({namespace}), (i) => EVERY_NAMESPACE_CONFIGMAPS.includes(i.metadata?.name ?? '')],
    ['pods', () => kube.core.listNamespacedPod({namespace}), () => false],
    ['services', () => kube.core.listNamespacedService({namespace}), () => false],
    ['persistentvolumeclaims', () => kube.core.listNamespacedPersistentVolumeClaim({namespace}), () => false],
    ['deployments', () => kube.apps.listNamespacedDeployment({namespace}), () => false],
    ['statefulsets', () => kube.apps.listNamespacedStatefulSet({namespace}), () => false],
    ['daemonsets', () => kube.apps.listNamespacedDaemonSet({namespace}), () => false],
  ]
  const found: string[] = []
  for (const [resource, list, isBuiltIn] of checks) {
    let items: Item[]
    try {
      items = (await list()).items
    } catch (err) {
      // Cannot tell whether it is empty: keep the namespace, and say why.
      const reason = kube.describe(err, {verb: 'list', resource, namespace}).message
      return [`${resource} that could not be listed: ${reason}`]
    }
    const names = items.filter((item) => !isBuiltIn(item)).map((item) => item.metadata?.name ?? '?')
    if (names.length > 0) found.push(`${resource} ${names.join(', ')}`)
  }
  return found
}

function bindsOurAccount(binding: V1ClusterRoleBinding, names: AccountNames): boolean {
  return (
    binding.roleRef?.kind === 'ClusterRole' &&
    binding.roleRef.name === CLUSTER_ROLE_NAME &&
    (binding.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === names.account && s.namespace === names.namespace)
  )
}

function isOurTokenSecret(secret: V1Secret, names: AccountNames): boolean {
  return secret.type === SERVICE_ACCOUNT_TOKEN_TYPE && secret.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION] === names.account
}

/** The names of one service account's objects: Rancher's shared ones, or an owner's own. */
export interface AccountNames {
  namespace: string
  account: string
  binding: string
  secret: string
  owner?: string
}

export function accountNames(owner?: string, namespace = SERVICE_ACCOUNT_NAMESPACE): AccountNames {
  if (owner === undefined) {
    return {namespace, account: SERVICE_ACCOUNT_NAME, binding: CLUSTER_ROLE_BINDING_NAME, secret: TOKEN_SECRET_NAME}
  }
  if (!/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(owner)) {
    throw new Error(`owner must be 1-40 lowercase letters, digits or '-' (not at either end), not "${owner}"`)
  }
  const account = `${SERVICE_ACCOUNT_NAME}-${owner}`
  return {namespace, account, binding: account, secret: `${account}-token`, owner}
}

/** Labels and annotations that say who made an object. */
function marks(names: AccountNames): {labels: Record<string, string>; annotations?: Record<string, string>} {
  const labels = {[MANAGED_BY_LABEL]: MANAGED_BY_VALUE}
  return names.owner ? {labels, annotations: {[OWNER_ANNOTATION]: names.owner}} : {labels}
}

/** Why an object is not the owner's to delete (no owner: anything of our names is), or undefined. */
function notOurs(object: {metadata?: {annotations?: Record<string, string>}}, names: AccountNames): string | undefined {
  if (!names.owner) return undefined
  const mark = object.metadata?.annotations?.[OWNER_ANNOTATION]
  return mark === names.owner ? undefined : `not marked ${OWNER_ANNOTATION}=${names.owner}: this import did not make it`
}

/** An owner's object of the same name that someone else made is not adopted. */
function refuseUnmarked(kube: Kube, label: string, object: {metadata?: {annotations?: Record<string, string>}}): void {
  const reason = notOurs(object, kube.names)
  if (reason) throw new Error(`${label} already exists on ${kube.server} but is ${reason}; ke leaves it alone: delete it, then try again`)
}

function describeTarget(op: Operation): string {
  if (!op.name) return op.namespace ? `${op.resource} in namespace ${op.namespace}` : op.resource
  return `${op.resource} ${op.namespace ? `${op.namespace}/` : ''}${op.name}`
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of milliseconds, not ${value}`)
  return value
}


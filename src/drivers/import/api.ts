// The two reads the import driver makes itself (server version, node count), each bounded in time, with
// failures turned into messages that name the cause: unreachable (with the URL), certificate not
// trusted, 401, 403. The service-account work is the SDK's (generateServiceAccountToken).
import type {KubeConfig} from '@kubernetes/client-node'
import type {ClusterInfo} from '../../sdk/index.js'

/** Upper bound for one request: node-fetch has none, and a black-holed address would hang the driver. */
export const REQUEST_TIMEOUT_MS = 15_000

/** Who asks, for messages: e.g. `the credentials of context "kind" in /home/me/.kube/config`. */
export interface Caller {
  server: string
  credentials: string
}

/** GET /version: the server's gitVersion (e.g. v1.30.2). */
export async function readServerVersion(kubeConfig: KubeConfig, caller: Caller): Promise<string> {
  const {VersionApi} = await import('@kubernetes/client-node')
  const api = new VersionApi(await configuration(kubeConfig, caller.server))
  try {
    return (await api.getCode()).gitVersion
  } catch (error) {
    throw describeApiError(error, caller, 'read the server version (GET /version)')
  }
}

/** Counts the nodes, a page at a time so that a big cluster does not arrive in one answer. */
export async function countNodes(kubeConfig: KubeConfig, caller: Caller): Promise<number> {
  const {CoreV1Api} = await import('@kubernetes/client-node')
  const api = new CoreV1Api(await configuration(kubeConfig, caller.server))
  let count = 0
  let next: string | undefined
  do {
    try {
      const page = await api.listNode({limit: 500, ...(next ? {_continue: next} : {})})
      count += page.items.length
      next = page.metadata?._continue || undefined
    } catch (error) {
      throw describeApiError(error, caller, 'list nodes')
    }
  } while (next)
  return count
}

/** A KubeConfig for what ClusterInfo holds: endpoint, CA and the service-account token from PostCheck. */
export async function kubeConfigFromInfo(info: ClusterInfo): Promise<KubeConfig> {
  const {KubeConfig} = await import('@kubernetes/client-node')
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromOptions({
    clusters: [{name: 'imported', server: info.endpoint, ...(info.rootCaCertificate ? {caData: info.rootCaCertificate} : {})}],
    users: [{name: 'kontainer-engine', token: info.serviceAccountToken}],
    contexts: [{name: 'imported', cluster: 'imported', user: 'kontainer-engine'}],
    currentContext: 'imported',
  })
  return kubeConfig
}

async function configuration(kubeConfig: KubeConfig, server: string) {
  const {ServerConfiguration, createConfiguration} = await import('@kubernetes/client-node')
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: {default: kubeConfig},
    promiseMiddleware: [
      {
        pre: async (context) => {
          context.setSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS))
          return context
        },
        post: async (context) => context,
      },
    ],
  })
}

/** An Error whose message says what failed and why, for any failure of a call to the API. */
export function describeApiError(error: unknown, caller: Caller, action: string): Error {
  const {server, credentials} = caller
  const status = httpStatus(error)
  if (status === 401) return new Error(`the Kubernetes API at ${server} rejected ${credentials} (401 Unauthorized) when trying to ${action}`)
  if (status === 403) {
    const said = apiMessage(error)
    return new Error(`${credentials} may not ${action} on ${server} (403 Forbidden)${said ? `: ${said}` : ''}`)
  }
  if (status !== undefined) return new Error(`the Kubernetes API at ${server} answered ${status} when trying to ${action}${suffix(apiMessage(error))}`)
  const code = errorCode(error)
  if (code && TLS_ERRORS[code]) {
    return new Error(
      `the certificate of the Kubernetes API at ${server} is not trusted: ${TLS_ERRORS[code]} (${code}); ` +
        `check the certificate authority of the cluster in the kubeconfig`,
    )
  }
  if (isTimeout(error)) return new Error(`cannot reach the Kubernetes API at ${server}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)
  if (code) return new Error(`cannot reach the Kubernetes API at ${server}: ${NETWORK_ERRORS[code] ?? 'request failed'} (${code}); is the cluster running?`)
  return new Error(`cannot ${action} at ${server}: ${error instanceof Error ? error.message : String(error)}`)
}

function suffix(text: string | undefined): string {
  return text ? `: ${text}` : ''
}

/** ApiException (client-node's error for an HTTP answer) carries the status as a number in `code`. */
function httpStatus(error: unknown): number | undefined {
  const code = (error as {code?: unknown} | undefined)?.code
  return typeof code === 'number' ? code : undefined
}

/** The `message` of the Kubernetes Status object in an error answer, when there is one. */
function apiMessage(error: unknown): string | undefined {
  let body = (error as {body?: unknown} | undefined)?.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      return undefined
    }
  }
  const message = (body as {message?: unknown} | undefined)?.message
  return typeof message === 'string' && message ? message : undefined
}

/** node-fetch's FetchError carries the system error's code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE). */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as {cause?: unknown}).cause, depth++) {
    const code = (e as {code?: unknown}).code
    if (typeof code === 'string' && code) return code
  }
  return undefined
}

function isTimeout(error: unknown): boolean {
  const {name, type} = (error ?? {}) as {name?: unknown; type?: unknown}
  return name === 'AbortError' || name === 'TimeoutError' || type === 'aborted'
}

const TLS_ERRORS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is not signed by a certificate authority the kubeconfig trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a trusted certificate authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not trusted',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is not valid for this host name or address',
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS handshake failed',
}

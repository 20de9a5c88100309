// The two reads the import driver makes itself (server version, node count), each bounded in time, with
// failures turned into messages that name the cause: unreachable (with the URL), certificate not
// trusted, 401, 403. The service-account work is the SDK's (generateServiceAccountToken).
import type {KubeConfig} from '@kubernetes/client-node'
import type {ClusterInfo} from '../../sdk/index.js'
import {describeTransportError, statusBody, statusCode} from '../../kube/api-errors.js'

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
  const status = statusCode(error)
  const said = statusBody(error).message
  if (status === 401) return new Error(`the Kubernetes API at ${server} rejected ${credentials} (401 Unauthorized) when trying to ${action}`)
  if (status === 403) return new Error(`${credentials} may not ${action} on ${server} (403 Forbidden)${said ? `: ${said}` : ''}`)
  if (status !== undefined) return new Error(`the Kubernetes API at ${server} answered ${status} when trying to ${action}${said ? `: ${said}` : ''}`)
  const transport = describeTransportError(error, server, REQUEST_TIMEOUT_MS)
  if (transport) return transport
  return new Error(`cannot ${action} at ${server}: ${error instanceof Error ? error.message : String(error)}`)
}

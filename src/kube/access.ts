// Is the cluster the driver returned really reachable with the credentials it returned? Calls the API's
// /version and a SelfSubjectAccessReview ("may I list namespaces?") through client-node.
import {KeError} from '../errors.js'
import type {ClusterInfo} from '../protocol/types.js'
import {withRequestDeadline} from './request-deadline.js'
import {describeTransportError, isCertificateError, networkCode, statusCode} from './api-errors.js'
import {kubeConfigOptions} from './kubeconfig.js'

const REQUEST_TIMEOUT_MS = 15_000

export interface AccessReport {
  name: string
  server: string
  serverVersion: string
  canListNamespaces: boolean
  authentication: 'token' | 'client-certificate' | 'basic' | 'none'
}

function authenticationOf(info: ClusterInfo): AccessReport['authentication'] {
  if (info.serviceAccountToken) return 'token'
  if (info.clientCertificate && info.clientKey) return 'client-certificate'
  if (info.username) return 'basic'
  return 'none'
}

const CREDENTIALS: Record<AccessReport['authentication'], string> = {
  token: 'service-account token',
  'client-certificate': 'client certificate',
  basic: 'username and password',
  none: 'credentials',
}

/** Which credentials were used, for messages: e.g. `the service-account token ke stored for cluster demo`. */
function credentialsOf(name: string, authentication: AccessReport['authentication']): string {
  return `the ${CREDENTIALS[authentication]} ke stored for cluster ${name}`
}

function accessError(name: string, message: string, hint = 'the driver returned a ClusterInfo that does not work: report it to the driver author'): KeError {
  return new KeError('ACCESS_FAILED', `cluster ${name}: ${message}`, {cluster: name, hint})
}

/** What to check when the API cannot be reached at all: the name lookup, or the way to it. */
function networkHint(server: string, error: unknown): string {
  const host = new URL(server).hostname
  const code = networkCode(error)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `${host} does not resolve from this machine: check its DNS (or VPN) and that the cluster still exists`
  }
  return `check the network from this machine to ${server} (VPN, proxy, firewall) and that the cluster is running`
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {name: 'TimeoutError'})), REQUEST_TIMEOUT_MS)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

export async function checkAccess(name: string, info: ClusterInfo): Promise<AccessReport> {
  const authentication = authenticationOf(info)
  if (authentication === 'none') throw accessError(name, 'the driver returned no credentials (no token, client certificate or username)')
  // the whole client's KubeConfig: its API classes are that client's (kubeConfigFor's is a part of it)
  const options = kubeConfigOptions(name, info)
  const {KubeConfig, VersionApi, AuthorizationV1Api} = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  kc.loadFromOptions(options)
  withRequestDeadline(kc, REQUEST_TIMEOUT_MS)
  const server = kc.getCurrentCluster()!.server
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(work())
    } catch (error) {
      const transport = describeTransportError(error, server, REQUEST_TIMEOUT_MS)
      if (transport) {
        throw accessError(name, `${transport.message} (using ${credentialsOf(name, authentication)})`,
          isCertificateError(error) ? `the CA ke stored for cluster ${name} did not sign the server's certificate: was the cluster rebuilt?` : networkHint(server, error))
      }
      const code = statusCode(error)
      if (code === 401) {
        throw accessError(name, `the Kubernetes API at ${server} rejected ${credentialsOf(name, authentication)} (401 Unauthorized)`,
          `they were revoked, expired or deleted on the cluster: \`ke update ${name}\` asks the driver for new ones`)
      }
      throw accessError(name, `${what} at ${server} failed: ${code ? `HTTP ${code}` : (error as Error).message}`)
    }
  }
  const version = await call('GET /version', () => kc.makeApiClient(VersionApi).getCode())
  const review = await call('a SelfSubjectAccessReview', () =>
    kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {verb: 'list', resource: 'namespaces'}}},
    }),
  )
  if (!review.status?.allowed) throw accessError(name, `the ${authentication === 'token' ? 'token' : 'credentials'} the driver returned cannot list namespaces`)
  return {name, server, serverVersion: version.gitVersion, canListNamespaces: true, authentication}
}

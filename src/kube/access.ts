// Is the cluster the driver returned really reachable with the credentials it returned? Calls the API's
// /version and a SelfSubjectAccessReview ("may I list namespaces?") through client-node.
import {KeError} from '../errors.js'
import type {ClusterInfo} from '../driver/types.js'
import {describeTransportError, statusCode} from './api-errors.js'
import {kubeConfigFor} from './kubeconfig.js'

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

function accessError(name: string, message: string): KeError {
  return new KeError('ACCESS_FAILED', `cluster ${name}: ${message}`, {
    cluster: name,
    hint: 'the driver returned a ClusterInfo that does not work: report it to the driver author',
  })
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
  const kc = await kubeConfigFor(name, info)
  const server = kc.getCurrentCluster()!.server
  const {VersionApi, AuthorizationV1Api} = await import('@kubernetes/client-node')
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(work())
    } catch (error) {
      const transport = describeTransportError(error, server, REQUEST_TIMEOUT_MS)
      if (transport) throw accessError(name, transport.message)
      const code = statusCode(error)
      if (code === 401) throw accessError(name, `the API at ${server} rejected the ${authentication} the driver returned (401 Unauthorized)`)
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

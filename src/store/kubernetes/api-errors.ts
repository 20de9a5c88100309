// A failed call to the store's API server, as one line a user can act on.
import {KeError} from '../../errors.js'
import {describeTransportError, errorBody, isCertificateError, statusBody, statusCode} from '../../kube/api-errors.js'
import {CRD_NAME} from './crd.js'

/** Client-side limit of one call: a store that does not answer is reported, not waited for forever. */
export const REQUEST_TIMEOUT_MS = 15_000

export function isConflict(error: unknown): boolean {
  return statusCode(error) === 409
}

export function isNotFound(error: unknown): boolean {
  return statusCode(error) === 404
}

/**
 * A 404 about the resource type rather than an object: the API server answers so when the CRD is
 * missing (its Status has no `details.name`, and unknown groups are not even JSON).
 */
export function isMissingResourceType(error: unknown): boolean {
  if (statusCode(error) !== 404) return false
  // text that is not JSON: an unknown group, answered before any Status is made
  const body = errorBody(error)
  const details = (body as {details?: {name?: unknown}} | undefined)?.details
  return !details || typeof details.name !== 'string' || details.name === ''
}

/** The namespace a write went to does not exist: its name (the admission plugin's 404 names it). */
export function missingNamespaceOf(error: unknown): string | undefined {
  if (statusCode(error) !== 404) return undefined
  const details = (errorBody(error) as {details?: {kind?: unknown; name?: unknown}} | undefined)?.details
  return details?.kind === 'namespaces' && typeof details.name === 'string' ? details.name : undefined
}

export function namespaceMissing(label: string, namespace: string): KeError {
  return new KeError('BAD_CONFIG', `Kubernetes store ${label}: namespace ${namespace} does not exist`, {
    hint: `run \`kubectl create namespace ${namespace}\`, or \`ke store init --store ${label}\`, which creates it`,
  })
}

export function notInitialized(label: string): KeError {
  return new KeError('BAD_CONFIG', `the Kubernetes store ${label} has no ${CRD_NAME} resource: run \`ke store init --store ${label}\` once (needs rights to create CRDs)`)
}

/** `what` is the call in words: `get Secret demo-info`. */
export function storeError(error: unknown, what: string, label: string, server: string): KeError {
  if (error instanceof KeError) return error
  const transport = describeTransportError(error, server, REQUEST_TIMEOUT_MS)
  if (transport) {
    // a certificate's message says what to check already
    const hint = isCertificateError(error) ? undefined : 'check the kubeconfig and the network to that API server'
    return new KeError('ACCESS_FAILED', `Kubernetes store ${label}: ${transport.message}`, {hint, cause: error})
  }
  const code = statusCode(error)
  if (code === undefined) return new KeError('ACCESS_FAILED', `Kubernetes store ${label}: ${what} failed: ${(error as Error).message}`, {cause: error})
  const namespace = missingNamespaceOf(error)
  if (namespace) return namespaceMissing(label, namespace)
  if (isMissingResourceType(error) && !what.includes('Secret') && !what.includes('Lease')) return notInitialized(label)
  const {reason, message} = statusBody(error)
  const said = message ?? reason ?? `HTTP ${code}`
  if (code === 401) {
    return new KeError('ACCESS_FAILED', `Kubernetes store ${label} rejected the kubeconfig's credentials (401 Unauthorized)`, {hint: 'log in again, or check the user of the kubeconfig context', cause: error})
  }
  if (code === 403) {
    return new KeError('ACCESS_FAILED', `Kubernetes store ${label}: cannot ${what} (403 Forbidden: ${said})`, {hint: 'see what this user may do with `kubectl auth can-i --list`', cause: error})
  }
  return new KeError('ACCESS_FAILED', `Kubernetes store ${label}: cannot ${what} (HTTP ${code}: ${said})`, {cause: error})
}

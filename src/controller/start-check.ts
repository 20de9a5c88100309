// What `ke controller` checks before it says "started": the API server answers, the Cluster resource
// exists (`ke store init` was run), and the namespaces it watches and leads in exist. Each failure is one
// line and a non-zero exit, where the informers would only retry and log the raw HTTP answer for ever.
import type {KubeConfig} from '@kubernetes/client-node'
import {KeError} from '../errors.js'
import {describeTransportError, isCertificateError, statusBody, statusCode} from '../kube/api-errors.js'
import {callDeadline} from '../kube/request-deadline.js'
import {isMissingResourceType, missingNamespaceOf, notInitialized, REQUEST_TIMEOUT_MS} from '../store/kubernetes/api-errors.js'
import {GROUP, PLURAL, VERSION} from '../store/kubernetes/crd.js'

export interface StartCheck {
  /** The watched namespace; all namespaces when unset. */
  namespace?: string
  /** The leader Lease's namespace, when there is leader election. */
  leaseNamespace?: string
}

/** `stop` (SIGTERM, Ctrl-C) ends the check's requests at once: the caller then stops without starting. */
export async function checkBeforeStart(kc: KubeConfig, check: StartCheck, stop?: AbortSignal): Promise<void> {
  const {CoreV1Api, CustomObjectsApi, Observable} = await import('@kubernetes/client-node')
  const objects = kc.makeApiClient(CustomObjectsApi)
  const core = kc.makeApiClient(CoreV1Api)
  const {namespace} = check
  const options = () => callDeadline(Observable, REQUEST_TIMEOUT_MS, stop)
  try {
    await (namespace
      ? objects.listNamespacedCustomObject({group: GROUP, version: VERSION, namespace, plural: PLURAL, limit: 1}, options())
      : objects.listClusterCustomObject({group: GROUP, version: VERSION, plural: PLURAL, limit: 1}, options()))
  } catch (error) {
    throw clusterApiError(error, namespace, kc)
  }
  for (const name of new Set([namespace, check.leaseNamespace])) {
    if (name !== undefined && !(await namespaceExists(core, name, options))) {
      throw new KeError('BAD_CONFIG', `namespace ${name} does not exist on ${serverOf(kc)}`, {hint: `create it with \`kubectl create namespace ${name}\`, or name another one`})
    }
  }
}

/**
 * The controller's role may not read Namespace objects: then a dry-run create of a Secret there tells,
 * as the API server refuses any create in a namespace that does not exist. Anything unclear counts as
 * existing (the watch and the Lease report their own failures).
 */
async function namespaceExists(core: import('@kubernetes/client-node').CoreV1Api, name: string, options: () => ReturnType<typeof callDeadline>): Promise<boolean> {
  try {
    await core.readNamespace({name}, options())
    return true
  } catch (error) {
    if (statusCode(error) === 404) return false
    if (statusCode(error) !== 403) return true
  }
  try {
    await core.createNamespacedSecret({namespace: name, dryRun: 'All', body: {metadata: {generateName: 'ke-controller-check-'}}}, options())
    return true
  } catch (error) {
    return missingNamespaceOf(error) !== name
  }
}

function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? 'the API server'
}

/** A failed list or watch of Cluster objects, as one line. */
export function clusterApiError(error: unknown, namespace: string | undefined, kc: KubeConfig): KeError {
  if (error instanceof KeError) return error
  if (isMissingResourceType(error) || (error as {statusCode?: unknown})?.statusCode === 404) {
    return notInitialized(`kubernetes:${kc.getCurrentContext()}${namespace ? `/${namespace}` : ''}`)
  }
  const transport = describeTransportError(error, serverOf(kc), REQUEST_TIMEOUT_MS)
  if (transport) {
    // a certificate's message says what to check already
    const hint = isCertificateError(error) ? '--store kubernetes:CONTEXT picks another context' : 'check the server in the kubeconfig and the network to it; --store kubernetes:CONTEXT picks another context'
    return new KeError('ACCESS_FAILED', transport.message, {hint})
  }
  const code = statusCode(error)
  const {message: said} = statusBody(error)
  const message = code !== undefined ? `HTTP ${code}${said ? `: ${said}` : ''}` : error instanceof Error ? error.message.split('\n')[0] : String(error)
  return new KeError('ACCESS_FAILED', `cannot list Cluster objects${namespace ? ` in namespace ${namespace}` : ''} on ${serverOf(kc)}: ${message}`, {
    hint: 'check the kubeconfig, and that its user may list and watch clusters.ke.io and Secrets',
  })
}

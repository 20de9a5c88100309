// Reaching the API server of a Kubernetes store: the kubeconfig found as kubectl finds it (KUBECONFIG,
// a list merged in order, else ~/.kube/config, else the pod's service account), through client-node's
// KubeConfig. client-node is loaded here only, lazily: it costs ~330 ms to import.
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, join} from 'node:path'
import type {KubeConfig} from '@kubernetes/client-node'
import {KeError} from '../../errors.js'
import {withRequestDeadline} from '../../kube/request-deadline.js'
import {REQUEST_TIMEOUT_MS} from './api-errors.js'
import {formatStoreSpec, type KubernetesStoreSpec} from '../store-spec.js'

export interface StoreTarget {
  kc: KubeConfig
  namespace: string
  /** How the user names this store (`kubernetes:ctx/ns`), for messages. */
  label: string
}

/** The kubeconfig files kubectl would read, in order; empty when there are none. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((file) => file && existsSync(file))
  const home = env.HOME || homedir()
  const file = join(home, '.kube', 'config')
  return existsSync(file) ? [file] : []
}

/** Why no kubeconfig file was found: KUBECONFIG names files that do not exist, or it is unset. */
function whyNoKubeconfig(env: NodeJS.ProcessEnv): string {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)
  if (listed.length === 0) return 'KUBECONFIG is unset and ~/.kube/config does not exist'
  return `KUBECONFIG names ${listed.length === 1 ? 'a file that does' : 'files that do'} not exist (${listed.join(delimiter)})`
}

export async function loadKubeConfig(env: NodeJS.ProcessEnv): Promise<KubeConfig> {
  const {KubeConfig} = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  const files = kubeconfigFiles(env)
  if (files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster()
      return withRequestDeadline(kc, REQUEST_TIMEOUT_MS)
    }
    throw new KeError('BAD_CONFIG', `the Kubernetes store needs a kubeconfig: ${whyNoKubeconfig(env)}`, {
      hint: 'point KUBECONFIG at the kubeconfig of the cluster that keeps ke\'s records',
    })
  }
  try {
    kc.loadFromFile(files[0])
    for (const file of files.slice(1)) {
      const more = new KubeConfig()
      more.loadFromFile(file)
      mergeFirstWins(kc, more)
    }
  } catch (error) {
    throw new KeError('BAD_CONFIG', `cannot read the kubeconfig ${files.join(delimiter)}: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'check it with `kubectl config view`',
    })
  }
  // an API server that takes the connection and never answers must not hold ke (request-deadline.ts)
  return withRequestDeadline(kc, REQUEST_TIMEOUT_MS)
}

/**
 * kubectl's merge of a KUBECONFIG list: the first file to name a cluster, user or context (or to set
 * current-context) wins. client-node's mergeConfig throws on a name seen twice instead.
 */
function mergeFirstWins(kc: KubeConfig, more: KubeConfig): void {
  for (const cluster of more.clusters) if (!kc.getCluster(cluster.name)) kc.addCluster(cluster)
  for (const user of more.users) if (!kc.getUser(user.name)) kc.addUser(user)
  for (const context of more.contexts) if (!kc.getContextObject(context.name)) kc.addContext(context)
  if (!kc.currentContext) kc.setCurrentContext(more.currentContext)
}

/** The KubeConfig with the spec's context chosen, and the namespace the store works in. */
export function selectTarget(kc: KubeConfig, spec: KubernetesStoreSpec): StoreTarget {
  if (spec.context) {
    if (!kc.getContextObject(spec.context)) {
      const known = kc.getContexts().map((c) => c.name)
      throw new KeError('BAD_FLAG', `the kubeconfig has no context ${JSON.stringify(spec.context)}${known.length > 0 ? ` (it has ${known.join(', ')})` : ''}`, {
        hint: 'see `kubectl config get-contexts`',
      })
    }
    kc.setCurrentContext(spec.context)
  }
  if (!kc.getCurrentCluster()) {
    throw new KeError('BAD_CONFIG', `the kubeconfig's current context ${JSON.stringify(kc.getCurrentContext())} names no cluster`, {
      hint: 'choose one with `--store kubernetes:CONTEXT` or `kubectl config use-context`',
    })
  }
  const namespace = spec.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default'
  return {kc, namespace, label: formatStoreSpec({kind: 'kubernetes', context: kc.getCurrentContext(), namespace})}
}

export async function connectStore(spec: KubernetesStoreSpec, env: NodeJS.ProcessEnv): Promise<StoreTarget> {
  return selectTarget(await loadKubeConfig(env), spec)
}

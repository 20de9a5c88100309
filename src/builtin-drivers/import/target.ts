// Where an imported cluster is: a kubeconfig file and one of its contexts. Only the (absolute) path and
// the context name are kept in metadata.state; the credentials stay in the user's file and are read
// again on every call that needs them, so nothing secret from it ever reaches ke's store.
import {existsSync, readFileSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {isAbsolute, resolve} from 'node:path'
import type {Cluster, KubeConfig} from '@kubernetes/client-node'

export interface ImportTarget {
  /** Absolute path of the kubeconfig file. */
  kubeconfig: string
  /** Name of the context in it. */
  context: string
}

export interface LoadedTarget {
  target: ImportTarget
  /** The file, with `target.context` made current (the SDK helpers use the current context). */
  kubeConfig: KubeConfig
  cluster: Cluster
}

/**
 * The kubeconfig option as an absolute path. ke starts the driver in the user's working directory, so a
 * relative path means what the user meant; `~/` is expanded because `--kubeconfig=~/x` reaches us as is.
 */
export function resolveKubeconfigPath(option: string, cwd = process.cwd(), home = homedir()): string {
  const path = option === '~' ? home : option.startsWith('~/') ? resolve(home, option.slice(2)) : option
  return isAbsolute(path) ? path : resolve(cwd, path)
}

/** Reads the file and selects the context (`context` empty: the file's current-context). */
export async function loadTarget(path: string, context: string): Promise<LoadedTarget> {
  if (!existsSync(path)) throw new Error(`kubeconfig file ${path} does not exist`)
  if (!statSync(path).isFile()) throw new Error(`kubeconfig ${path} is not a file`)
  const {KubeConfig} = await import('@kubernetes/client-node')
  const kubeConfig = new KubeConfig()
  try {
    kubeConfig.loadFromFile(path)
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${path}: ${(error as Error).message}`)
  }
  const name = context || kubeConfig.getCurrentContext()
  const names = kubeConfig.getContexts().map((c) => c.name)
  const known = names.length > 0 ? `it has: ${names.join(', ')}` : 'it has no contexts'
  if (!name) throw new Error(`kubeconfig ${path} sets no current-context: pass --context (${known})`)
  const chosen = kubeConfig.getContextObject(name)
  if (!chosen) throw new Error(`context "${name}" is not in kubeconfig ${path} (${known})`)
  kubeConfig.setCurrentContext(name)
  const cluster = kubeConfig.getCluster(chosen.cluster)
  if (!cluster?.server) throw new Error(`context "${name}" in ${path} names cluster "${chosen.cluster}", which the file does not define with a server URL`)
  if (chosen.user && !kubeConfig.getUser(chosen.user)) {
    throw new Error(`context "${name}" in ${path} names user "${chosen.user}", which the file does not define`)
  }
  return {target: {kubeconfig: path, context: name}, kubeConfig, cluster}
}

/** The cluster's CA as base64 PEM (what ClusterInfo carries), '' when the kubeconfig names none. */
export function caOf(loaded: LoadedTarget): string {
  const {cluster, target} = loaded
  if (cluster.caData) return Buffer.from(cluster.caData, 'base64').toString('base64')
  if (!cluster.caFile) return ''
  // client-node made the path absolute, relative to the kubeconfig's directory
  if (!existsSync(cluster.caFile)) {
    throw new Error(`certificate-authority file ${cluster.caFile} of cluster "${cluster.name}" in ${target.kubeconfig} does not exist`)
  }
  return readFileSync(cluster.caFile).toString('base64')
}

/** Who is talking to the API, for error messages. */
export function describeCredentials(target: ImportTarget): string {
  return `the credentials of context "${target.context}" in ${target.kubeconfig}`
}

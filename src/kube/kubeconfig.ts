// Kubeconfig files through @kubernetes/client-node's KubeConfig, never by hand. Loaded lazily, and
// alone (client-config.ts): only env, kubeconfig and rm (when an entry exists) need it.
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import type {KubeConfig} from '@kubernetes/client-node'
import {KeError} from '../errors.js'
import type {ClusterInfo} from '../protocol/types.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {lockCluster} from '../store/file/lock.js'

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8')
}

/** One cluster, user and context named after the cluster, authenticating as the driver returned. */
export async function kubeConfigFor(name: string, info: ClusterInfo): Promise<KubeConfig> {
  const options = kubeConfigOptions(name, info)
  const {KubeConfig} = await import('./client-config.js')
  const kc = new KubeConfig()
  kc.loadFromOptions(options)
  return kc
}

/** What kubeConfigFor loads, for a KubeConfig of the whole client (one that talks to the API server). */
export function kubeConfigOptions(name: string, info: ClusterInfo): Parameters<KubeConfig['loadFromOptions']>[0] {
  if (!info.endpoint) {
    throw new KeError('CLUSTER_NOT_FOUND', `cluster ${name} has no API endpoint yet`, {cluster: name, hint: `finish creating it with \`ke create ${name}\``})
  }
  const server = /^https?:\/\//.test(info.endpoint) ? info.endpoint : `https://${info.endpoint}`
  const user: Record<string, string> = {name}
  if (info.serviceAccountToken) user.token = info.serviceAccountToken
  else if (info.clientCertificate && info.clientKey) {
    user.certData = info.clientCertificate
    user.keyData = info.clientKey
  } else if (info.username) {
    user.username = info.username
    user.password = info.password
  }
  return {
    clusters: [{name, server, ...(info.rootCaCertificate ? {caData: info.rootCaCertificate} : {skipTLSVerify: false})}],
    users: [user],
    contexts: [{name, cluster: name, user: name}],
    currentContext: name,
  }
}

/**
 * YAML as kubectl writes it (keys sorted, sequences not indented, long values never folded), so a
 * diff against a file kubectl touched shows only what changed.
 */
async function toKubectlYaml(kc: KubeConfig): Promise<string> {
  const {stringify} = await import('yaml')
  const config = JSON.parse(kc.exportConfig()) as {contexts?: Array<{context?: {name?: string}}>; clusters?: Array<{cluster?: Record<string, unknown>}>}
  // client-node repeats the context's name inside it and spells out a false skip-TLS; kubectl does neither
  for (const context of config.contexts ?? []) delete context.context?.name
  for (const cluster of config.clusters ?? []) if (cluster.cluster?.['insecure-skip-tls-verify'] === false) delete cluster.cluster['insecure-skip-tls-verify']
  return stringify(config, {sortMapEntries: true, indentSeq: false, lineWidth: 0})
}

/** A standalone kubeconfig as YAML, for `ke kubeconfig NAME`. */
export async function renderKubeConfig(name: string, info: ClusterInfo): Promise<string> {
  return toKubectlYaml(await kubeConfigFor(name, info))
}

/**
 * The cluster's own kubeconfig file (0600), for `ke env NAME`: a shell that points KUBECONFIG at it
 * talks to this cluster whatever other shells do with theirs. It lives in the cluster's directory,
 * so `ke rm` removes it with the record.
 */
export async function writeClusterKubeconfig(path: string, name: string, info: ClusterInfo): Promise<void> {
  sanityCheckCa(name, info)
  writeFileAtomic(path, await renderKubeConfig(name, info))
}

function sanityCheckCa(name: string, info: ClusterInfo): void {
  if (info.rootCaCertificate && !decode(info.rootCaCertificate).includes('BEGIN CERTIFICATE')) {
    throw new KeError('DRIVER_CALL_FAILED', `cluster ${name}: the driver's root CA certificate is not base64 PEM`, {cluster: name, hint: 'report it to the driver author'})
  }
}

async function withKubeconfigLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const release = await retryLock(path)
  try {
    return await work()
  } finally {
    await release()
  }
}

/** Many ke processes may touch the shared kubeconfig at once: wait a little for the lock. */
async function retryLock(path: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 10_000
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      return await lockCluster(dirname(path), '.kubeconfig', 'writing kubeconfig')
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

async function loadShared(path: string): Promise<KubeConfig> {
  const {KubeConfig} = await import('./client-config.js')
  const kc = new KubeConfig()
  if (existsSync(path)) kc.loadFromFile(path)
  return kc
}

function dropEntries(kc: KubeConfig, name: string): boolean {
  const before = kc.clusters.length + kc.users.length + kc.contexts.length
  kc.clusters = kc.clusters.filter((c) => c.name !== name)
  kc.users = kc.users.filter((u) => u.name !== name)
  kc.contexts = kc.contexts.filter((c) => c.name !== name)
  return kc.clusters.length + kc.users.length + kc.contexts.length !== before
}

/**
 * Puts the cluster into the shared kubeconfig ($KE_HOME/kubeconfig), every ke cluster as a context.
 * Its current context is set only when it has none: moving it would move every shell that uses it.
 */
export async function addToSharedKubeconfig(path: string, name: string, info: ClusterInfo): Promise<void> {
  sanityCheckCa(name, info)
  const entry = await kubeConfigFor(name, info)
  await withKubeconfigLock(path, async () => {
    const kc = await loadShared(path)
    dropEntries(kc, name)
    kc.addCluster(entry.clusters[0])
    kc.addUser(entry.users[0])
    kc.addContext(entry.contexts[0])
    if (!kc.currentContext) kc.setCurrentContext(name)
    writeFileAtomic(path, await toKubectlYaml(kc))
  })
}

/**
 * Removes the cluster's entries from the shared kubeconfig; cheap when there are none. True when the
 * cluster was its current context, which is then cleared.
 */
export async function forgetInSharedKubeconfig(path: string, name: string): Promise<boolean> {
  if (!existsSync(path) || !readFileSync(path, 'utf8').includes(name)) return false
  return withKubeconfigLock(path, async () => {
    const kc = await loadShared(path)
    if (!dropEntries(kc, name)) return false
    // never point kubectl at another cluster behind the user's back
    const wasCurrent = kc.currentContext === name
    if (wasCurrent) kc.currentContext = ''
    writeFileAtomic(path, await toKubectlYaml(kc))
    return wasCurrent
  })
}

export function sharedKubeconfigPath(home: string): string {
  return join(home, 'kubeconfig')
}

/** The cluster's own kubeconfig on this machine: beside its driver log, whichever store keeps the record. */
export function clusterKubeconfigPath(driverLog: string): string {
  return join(dirname(driverLog), 'kubeconfig')
}

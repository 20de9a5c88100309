// client-node 1.x makes a new https.Agent for every request (KubeConfig.createAgent, kubernetes-client/
// javascript#2893): a new TLS handshake and TLS context per call, no connection reused. A CLI call makes a
// few requests and does not notice; the controller makes thousands (status writes, Leases, Events) and
// spends its CPU and memory on handshakes. This gives one KubeConfig one keep-alive agent per set of
// TLS settings, so requests share connections. Credentials in headers (tokens) are applied per request
// as before; a client certificate that changes (an exec plugin's) gets an agent of its own.
import type {Agent} from 'node:http'
import type {KubeConfig} from '@kubernetes/client-node'

type CreateAgent = (cluster: unknown, options: Record<string, unknown>) => Agent

/** The TLS settings that make two agents different; the rest (timeouts) may be shared. */
const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const

function keyOf(cluster: unknown, options: Record<string, unknown>): string {
  const server = (cluster as {server?: string; proxyUrl?: string} | undefined) ?? {}
  const parts = TLS_KEYS.map((key) => {
    const value = options[key]
    return Buffer.isBuffer(value) ? value.toString('base64') : JSON.stringify(value ?? null)
  })
  return [server.server ?? '', server.proxyUrl ?? '', ...parts].join('\u0000')
}

/** Makes `kc` reuse keep-alive connections; returns it. Idempotent; a client-node without createAgent is left as it is. */
export function reuseConnections(kc: KubeConfig): KubeConfig {
  const target = kc as unknown as {createAgent?: CreateAgent; keReusesConnections?: boolean}
  if (typeof target.createAgent !== 'function' || target.keReusesConnections) return kc
  const create = target.createAgent.bind(kc)
  const agents = new Map<string, Agent>()
  target.createAgent = (cluster, options) => {
    const key = keyOf(cluster, options)
    let agent = agents.get(key)
    if (!agent) {
      agent = create(cluster, {...options, keepAlive: true})
      agents.set(key, agent)
    }
    return agent
  }
  target.keReusesConnections = true
  return kc
}

// The controller's KubeConfig reuses kept-alive connections (client-node otherwise makes an agent, and
// a TLS handshake, per request): asserted on the real API server by counting TLS connections.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CoreV1Api} from '@kubernetes/client-node'
import {reuseConnections} from '../../../src/kube/reuse-connections.js'
import {kubernetes, needsKubernetes} from '../../support/kubernetes.js'

describe('reuseConnections', needsKubernetes, () => {
  it('gives every request of a KubeConfig the same keep-alive agent, so ten calls share connections', async () => {
    // Given the admin's KubeConfig, made to reuse connections, and the agents its requests get
    const kube = await kubernetes()
    const kc = reuseConnections(kube.admin())
    const agents = new Set<unknown>()
    let connections = 0
    const create = (kc as unknown as {createAgent: (...args: unknown[]) => unknown}).createAgent
    ;(kc as unknown as {createAgent: typeof create}).createAgent = (...args) => {
      const agent = create(...args)
      agents.add(agent)
      return agent
    }
    const core = kc.makeApiClient(CoreV1Api)

    // When it makes ten calls one after another
    for (let i = 0; i < 10; i++) {
      await core.readNamespace({name: 'default'})
    }
    for (const agent of agents) connections += Object.values((agent as unknown as {freeSockets: Record<string, unknown[]>}).freeSockets).flat().length

    // Then one agent served them all, and keeps one connection open for the next
    assert.equal(agents.size, 1)
    const [agent] = agents as Set<{keepAlive?: boolean}>
    assert.equal(agent.keepAlive, true)
    assert.equal(connections, 1)
  })

  it('leaves a KubeConfig once made to reuse as it is (idempotent)', async () => {
    const kube = await kubernetes()
    const kc = reuseConnections(kube.admin())
    const once = (kc as unknown as {createAgent: unknown}).createAgent
    assert.equal((reuseConnections(kc) as unknown as {createAgent: unknown}).createAgent, once)
  })

  it('without it, client-node makes an agent per request (the reason it exists)', async () => {
    const kube = await kubernetes()
    const kc = kube.admin()
    const agents = new Set<unknown>()
    const create = (kc as unknown as {createAgent: (...args: unknown[]) => unknown}).createAgent.bind(kc)
    ;(kc as unknown as {createAgent: typeof create}).createAgent = (...args) => {
      const agent = create(...args)
      agents.add(agent)
      return agent
    }
    const core = kc.makeApiClient(CoreV1Api)
    for (let i = 0; i < 3; i++) await core.readNamespace({name: 'default'})
    assert.equal(agents.size, 3)
  })
})

// Leader election (issue 16) against the REAL API server of the test run: the Lease, its
// resourceVersions and 409s are Kubernetes' own. Two electors run in this process with short Leases;
// a leader that cannot renew is made by cutting its own TCP path to the API server (a proxy we close).
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {createServer, connect, type Socket} from 'node:net'
import {hostname} from 'node:os'
import {after, before, describe, it} from 'node:test'
import {CoordinationV1Api, CoreV1Api, KubeConfig, V1MicroTime, type V1Lease} from '@kubernetes/client-node'
import {KeError} from '../../../src/errors.js'
import {runAsLeader} from '../../../src/controller/leader-election.js'
import {createLogger} from '../../../src/controller/log.js'
import {waitFor} from '../../support/ke.js'
import {kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../../support/kubernetes.js'

/** Short Leases keep the test quick; long enough that a loaded machine's slow answers do not cost the leader its Lease. */
const LEASE_SECONDS = 6
/** For the leader that is cut off: it is meant to lose its Lease, the sooner the better. */
const SHORT_LEASE_SECONDS = 3
/** What the candidates did, in order. */
const happened: string[] = []
const quiet = createLogger({json: true, stream: {write: () => true} as unknown as NodeJS.WritableStream})

interface Candidate {
  identity: string
  leading: boolean
  /** How many times onLeading was called. */
  terms: number
  lostSeen: boolean
  stop: AbortController
  /** What runAsLeader settled with. */
  done: Promise<{error?: unknown}>
}

function candidate(kc: KubeConfig, namespace: string, leaseName: string, identity: string, leaseSeconds: number): Candidate {
  const stop = new AbortController()
  const c = {identity, leading: false, terms: 0, lostSeen: false, stop} as Candidate
  c.done = runAsLeader({
    kc,
    namespace,
    leaseName,
    identity,
    leaseSeconds,
    signal: stop.signal,
    log: quiet,
    async onLeading(lost) {
      c.leading = true
      c.terms += 1
      happened.push(`${identity} leads`)
      // works until told to stop or until it loses the Lease, as the controller does
      await new Promise<void>((resolve) => {
        const end = () => resolve()
        if (lost.aborted || stop.signal.aborted) return resolve()
        lost.addEventListener('abort', () => {
          c.lostSeen = true
          happened.push(`${identity} lost`)
          end()
        })
        stop.signal.addEventListener('abort', end)
      })
      c.leading = false
    },
  }).then(
    () => ({}),
    (error: unknown) => ({error}),
  )
  return c
}

/** A TCP path to the API server that the test can cut, as a network partition would. */
async function cuttableProxy(server: string): Promise<{url: string; cut(): void}> {
  const target = new URL(server)
  const sockets = new Set<Socket>()
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const port = (proxy.address() as {port: number}).port
  return {
    url: `https://127.0.0.1:${port}`,
    cut() {
      proxy.close()
      for (const s of sockets) s.destroy()
    },
  }
}

function throughProxy(admin: KubeConfig, url: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: admin.clusters.map((c) => ({...c, server: url})),
    users: admin.users,
    contexts: admin.contexts,
    currentContext: admin.currentContext,
  })
  return kc
}

describe('leader election on a Lease', needsKubernetes, () => {
  let kube: TestKubernetes
  let namespace: string
  let leases: CoordinationV1Api
  const everyone: Candidate[] = []

  before(async () => {
    kube = await kubernetes()
    namespace = uniqueName('leader')
    await kube.admin().makeApiClient(CoreV1Api).createNamespace({body: {metadata: {name: namespace}}})
    leases = kube.admin().makeApiClient(CoordinationV1Api)
  })

  after(async () => {
    for (const c of everyone) c.stop.abort()
    await Promise.all(everyone.map((c) => c.done))
    await kube.admin().makeApiClient(CoreV1Api).deleteNamespace({name: namespace}).catch(() => undefined)
  })

  function start(leaseName: string, identity: string, kc = kube.admin(), leaseSeconds = LEASE_SECONDS): Candidate {
    const c = candidate(kc, namespace, leaseName, identity, leaseSeconds)
    everyone.push(c)
    return c
  }

  const lease = (name: string): Promise<V1Lease> => leases.readNamespacedLease({name, namespace})

  /** Waits until the leader has renewed the Lease `times` more times, checking one leader all along. */
  async function watchRenewals(name: string, all: Candidate[], times: number): Promise<void> {
    let seen = (await lease(name)).metadata?.resourceVersion
    for (let i = 0; i < times; i++) {
      await waitFor(async () => {
        assert.ok(all.filter((c) => c.leading).length <= 1, 'never two leaders at once')
        const now = (await lease(name)).metadata?.resourceVersion
        if (now === seen) return false
        seen = now
        return true
      }, 'the leader to renew its Lease')
    }
  }

  it('of two candidates exactly one leads, and the Lease names it; a clean stop hands over at once', async () => {
    // Given two candidates for the same Lease
    const name = uniqueName('lease')
    const [a, b] = [start(name, 'host-a/1'), start(name, 'host-b/2')]

    // When one leads
    const leader = await waitFor(() => [a, b].find((c) => c.leading), 'a leader')
    const other = leader === a ? b : a

    // Then the other does not, while the leader renews the Lease that names it
    await watchRenewals(name, [a, b], 2)
    assert.equal(other.leading, false)
    assert.equal(other.terms, 0)
    const held = await lease(name)
    assert.equal(held.spec?.holderIdentity, leader.identity)
    assert.equal(held.spec?.leaseDurationSeconds, LEASE_SECONDS)
    assert.equal(held.spec?.leaseTransitions, 0)

    // When the leader stops cleanly
    leader.stop.abort()
    assert.deepEqual(await leader.done, {})

    // Then the other leads (before the old Lease would have expired), and the Lease counts the transition
    await waitFor(() => other.leading, 'the other candidate to lead')
    const handed = await lease(name)
    assert.equal(handed.spec?.holderIdentity, other.identity)
    assert.equal(handed.spec?.leaseTransitions, 1)
    assert.equal(leader.terms, 1)
  })

  it('a leader that cannot renew gives up (ACCESS_FAILED) and the other takes over after the Lease expires', async () => {
    // Given a leader whose every call goes through a proxy, and a second candidate with a direct path
    const name = uniqueName('lease')
    const proxy = await cuttableProxy(kube.server)
    const cut = start(name, 'host-c/3', throughProxy(kube.admin(), proxy.url), SHORT_LEASE_SECONDS)
    await waitFor(() => cut.leading, 'the first candidate to lead')
    const waiting = start(name, 'host-d/4', kube.admin(), SHORT_LEASE_SECONDS)
    await watchRenewals(name, [cut, waiting], 1)

    // When its path to the API server is cut (it stops renewing, and cannot release)
    proxy.cut()

    // Then it notices it lost the Lease, and its runAsLeader says so
    const {error} = await waitFor(() => Promise.race([cut.done, new Promise<undefined>((r) => setTimeout(r, 50))]), 'the cut leader to give up', 20_000)
    assert.ok(error instanceof KeError, String(error))
    assert.equal(error.keCode, 'ACCESS_FAILED')
    assert.match(error.message, /lost the leader Lease/)
    assert.equal(cut.lostSeen, true)

    // And the other candidate leads once the Lease has expired
    await waitFor(() => waiting.leading, 'the other candidate to take over', 20_000)
    const taken = await lease(name)
    assert.equal(taken.spec?.holderIdentity, 'host-d/4')
    assert.equal(taken.spec?.leaseTransitions, 1)
    // the cut leader stopped working before the other started: never two at once
    assert.ok(happened.indexOf('host-c/3 lost') < happened.indexOf('host-d/4 leads'), happened.join(', '))
  })

  it('a candidate told to stop before it leads returns without leading', async () => {
    // Given a Lease held by a leader
    const name = uniqueName('lease')
    const leader = start(name, 'host-a/1')
    await waitFor(() => leader.leading, 'the leader')
    const waiting = start(name, 'host-b/2')
    await watchRenewals(name, [leader, waiting], 1)

    // When the waiting candidate is stopped
    waiting.stop.abort()

    // Then it returns without ever leading, and the Lease still names the leader
    assert.deepEqual(await waiting.done, {})
    assert.equal(waiting.terms, 0)
    assert.equal((await lease(name)).spec?.holderIdentity, 'host-a/1')
  })

  it('a Lease held by a process of this machine that is gone is taken at once, not after it expires', async () => {
    // Given a Lease for an hour, held by a process of this machine that has exited
    const name = uniqueName('lease')
    const gone = spawnSync(process.execPath, ['-e', '0']).pid
    const now = new V1MicroTime(Date.now())
    await leases.createNamespacedLease({
      namespace,
      body: {metadata: {name}, spec: {holderIdentity: `${hostname()}/${gone}`, leaseDurationSeconds: 3600, acquireTime: now, renewTime: now}},
    })

    // When a candidate campaigns
    const next = start(name, 'host-e/5')

    // Then it leads (an hour-long Lease would otherwise keep it waiting past this test's deadline)
    await waitFor(() => next.leading, 'the candidate to take the dead holder\'s Lease', 10_000)
    assert.equal((await lease(name)).spec?.holderIdentity, 'host-e/5')
  })
})

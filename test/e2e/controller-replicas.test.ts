// Issue 16, running it: two `ke controller` replicas (subprocesses, each its own KE_HOME, one sample
// cloud) on the real API server. Exactly one leads; kill -9 of the leader in the middle of a slow Create
// leaves the other to finish it, with one cluster in the cloud, not two.
import assert from 'node:assert/strict'
import {hostname} from 'node:os'
import {after, before, describe, it} from 'node:test'
import {CoordinationV1Api} from '@kubernetes/client-node'
import {needsKubernetes} from '../support/kubernetes.js'
import {waitFor} from '../support/ke.js'
import {controllerEnv, type ControllerEnv} from './controller/support.js'
import {cloudClusters, sharedCloud, startReplica, type Replica} from './controller-support.js'

const LEASE = 'ke-controller'

describe('ke controller › two replicas', needsKubernetes, () => {
  let env: ControllerEnv
  let cloud: {dir: string; dispose(): void}
  const replicas: Replica[] = []

  before(async () => {
    env = await controllerEnv('ke-ctl-replicas')
    cloud = sharedCloud()
  })
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()))
    await env?.dispose()
    cloud?.dispose()
  })

  const start = () => {
    const replica = startReplica(env, cloud.dir, ['--workers', '2'])
    replicas.push(replica)
    return replica
  }
  const holder = async () =>
    (await env.kube.admin().makeApiClient(CoordinationV1Api).readNamespacedLease({name: LEASE, namespace: env.namespace}).catch(() => undefined))?.spec?.holderIdentity
  const leaders = async (of: Replica[]) => {
    const gauges = await Promise.all(of.map((r) => r.metric('ke_controller_leader')))
    return of.filter((_, i) => gauges[i] === 1)
  }

  it('exactly one leads (its leader gauge is 1, the Lease names it); kill -9 of it during a slow Create: the other finishes it, one cluster in the cloud', async () => {
    // Given two replicas
    const [a, b] = [start(), start()]

    // Then one leads, by its metrics and by the Lease
    const [leader] = await waitFor(async () => {
      const found = await leaders([a, b])
      return found.length > 0 ? found : undefined
    }, 'a leader', 30_000)
    const other = leader === a ? b : a
    await waitFor(async () => (await holder()) === `${hostname()}/${leader.pid}`, 'the Lease to name the leader')
    // and the other stands by (leader gauge 0), while the leader renews the Lease at least once
    const renewed = (await env.kube.admin().makeApiClient(CoordinationV1Api).readNamespacedLease({name: LEASE, namespace: env.namespace})).spec?.renewTime
    await waitFor(async () => {
      assert.deepEqual(await leaders([a, b]), [leader], 'never two leaders')
      const lease = await env.kube.admin().makeApiClient(CoordinationV1Api).readNamespacedLease({name: LEASE, namespace: env.namespace})
      return String(lease.spec?.renewTime) !== String(renewed)
    }, 'the leader to renew its Lease', 30_000)
    assert.equal(await other.metric('ke_controller_leader'), 0)
    assert.equal((await other.get('/healthz')).status, 200)

    // When a Cluster with a slow Create is applied, and the leader is killed (-9) while the driver creates it
    await env.apply('slow', {driver: {name: 'sample'}, options: {'create-seconds': 5}})
    await waitFor(() => cloudClusters(cloud.dir).length === 1, 'the Create to be under way in the cloud', 30_000)
    await leader.kill9()
    // (it was killed mid-Create, not after)
    assert.notEqual((await env.get('slow'))?.status?.phase, 'Running')

    // Then the other replica takes over and finishes the cluster
    await waitFor(async () => (await holder()) === `${hostname()}/${other.pid}`, 'the other replica to hold the Lease', 30_000)
    const running = await env.waitForCluster('slow', 'Running (finished by the other replica)', (o) => o.status?.phase === 'Running', 60_000)
    assert.match(running.status.endpoint, /sample\.invalid:6443$/)
    assert.equal(await other.metric('ke_controller_leader'), 1)

    // And the cloud holds exactly one cluster: the retried Create found what the first one made
    assert.equal(cloudClusters(cloud.dir).length, 1, `clusters in the cloud: ${cloudClusters(cloud.dir).join(', ')}`)
    assert.ok(running.status.endpoint.startsWith(`https://${cloudClusters(cloud.dir)[0]}.`), running.status.endpoint)
  })
})

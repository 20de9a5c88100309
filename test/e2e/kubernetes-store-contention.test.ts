// Issue 15, locks on the Kubernetes store, through the CLI against the REAL API server: a `ke create`
// killed with -9 while it holds the Lease, a Lease held by a ke on another machine (expired, or
// fresh), and two `ke update`s racing from different KE_HOMEs.
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {V1MicroTime} from '@kubernetes/client-node'
import {collect, isAlive, runKe, runKeJson, sampleRequests, startKe, waitFor} from '../support/ke.js'
import {suiteHomes} from '../support/homes.js'
import {needsKubernetes} from '../support/kubernetes.js'
import {cliStore} from '../support/kubernetes-store-cli.js'

/** The clusters the sample driver's simulated cloud holds (one folder each). */
function cloudClusters(cloud: string): string[] {
  try {
    return readdirSync(join(cloud, 'clusters'))
  } catch {
    return []
  }
}

describe('locks of the Kubernetes store, through the CLI', needsKubernetes, () => {
  const home = suiteHomes()

  it('kill -9 of a create holding the Lease: the next `ke create` takes the lock and retries from the stored ClusterInfo', async () => {
    // Given a create that failed after making its cloud cluster, so its ClusterInfo is stored
    const h = home('ke-kill9-')
    const k = await cliStore(h)
    const options = k.options(h)
    const failed = await runKe(['create', '--driver', 'sample', '--fail-after-create', 'web'], options)
    assert.equal(failed.code, 1, failed.stderr)
    assert.equal(cloudClusters(join(h, 'sample-cloud')).length, 1)

    // and a retry of it that holds the Lease while its driver works slowly
    const holder = startKe(['create', 'web', '--fail-after-create=false', '--create-seconds', '120'], options)
    const held = collect(holder, {timeoutMs: 180_000})
    await waitFor(() => sampleRequests(h).filter((r) => r.method === 'Create').length === 2, 'the retry to reach the driver', 60_000)
    const lease = await k.leases.readNamespacedLease({name: 'web-lock', namespace: k.namespace})
    assert.equal(lease.spec?.holderIdentity, `${hostname()}/${holder.pid}/ke create web`)

    // When that ke is killed with -9 (it releases nothing)
    holder.kill('SIGKILL')
    await held
    await waitFor(() => !isAlive(holder.pid!), 'the killed ke to be gone')
    const listed = await runKeJson(['ls'], options)
    assert.deepEqual(listed.json.map((row: {status: string; reason?: string}) => [row.status, row.reason]), [['Error', 'interrupted: the ke running it stopped during Creating']])

    // Then the next `ke create web` takes the lock at once and retries with the stored ClusterInfo
    const retried = await runKe(['create', 'web', '--create-seconds', '0'], options)
    assert.equal(retried.code, 0, retried.stderr)
    assert.equal((await k.cluster('web')).status.phase, 'Running')
    const creates = sampleRequests(h).filter((r) => r.method === 'Create')
    assert.equal(creates.length, 3)
    const stateOf = (request: {request: any}) => JSON.parse(request.request.info.metadata.state).clusterId
    assert.equal(stateOf(creates[2]), stateOf(creates[1]), 'the last retry resumed the cluster the first create made')
    // and the cloud holds that one cluster, not a second
    assert.equal(cloudClusters(join(h, 'sample-cloud')).length, 1)
    assert.equal((await runKe(['rm', '-y', 'web'], options)).code, 0)
  })

  for (const [age, outcome] of [
    ['expired', 'is taken over'],
    ['fresh', 'turns ke away with exit 4 at once'],
  ] as const) {
    it(`a Lease held by a ke on another machine, ${age}, ${outcome}`, async () => {
      // Given a Lease on the cluster's name written by a ke on another host
      const h = home('ke-foreign-')
      const k = await cliStore(h)
      const renewed = new V1MicroTime(Date.now() - (age === 'expired' ? 60_000 : 0))
      const identity = 'ci-runner-7/4242/ke create shared'
      await k.leases.createNamespacedLease({
        namespace: k.namespace,
        body: {metadata: {name: 'shared-lock'}, spec: {holderIdentity: identity, leaseDurationSeconds: 15, acquireTime: renewed, renewTime: renewed}},
      })

      // When this machine's ke creates that cluster
      const result = await runKe(['create', '--driver', 'sample', 'shared'], k.options(h))

      if (age === 'expired') {
        // Then it takes the Lease over, creates the cluster, and frees the Lease afterwards
        assert.equal(result.code, 0, result.stderr)
        assert.equal((await k.cluster('shared')).status.phase, 'Running')
        const leases = await k.leases.listNamespacedLease({namespace: k.namespace})
        assert.deepEqual(leases.items.map((lease) => lease.metadata?.name), [])
      } else {
        // Then it exits 4 naming the holder, starts no driver and writes no Cluster
        assert.equal(result.code, 4, result.stderr)
        assert.equal(result.stderr, `Error: cluster shared is busy (held by ${identity}) (wait for that command to finish, or stop it)\n`)
        assert.deepEqual(sampleRequests(h), [])
        assert.deepEqual(await k.clusters(), [])
        const lease = await k.leases.readNamespacedLease({name: 'shared-lock', namespace: k.namespace})
        assert.equal(lease.spec?.holderIdentity, identity, 'the Lease is still theirs')
      }
    })
  }

  it('two `ke update`s racing from different KE_HOMEs: one waits its turn or is turned away, and no change is lost', async () => {
    // Given a Running cluster, and two machines sharing the store and the (simulated) cloud
    const first = home('ke-race-a-')
    const second = home('ke-race-b-')
    const k = await cliStore(first)
    // a folder of the suite's, as the homes are
    const cloud = home('ke-race-cloud-')
    const env = {KE_SAMPLE_CLOUD: cloud}
    const created = await runKe(['create', '--driver', 'sample', 'web'], k.options(first, env))
    assert.equal(created.code, 0, created.stderr)

    // When both update it at once, each changing another option
    const [a, b] = await Promise.all([
      collect(startKe(['update', 'web', '--node-count', '4'], k.options(first, env)), {timeoutMs: 120_000}),
      collect(startKe(['update', 'web', '--kubernetes-version', 'v1.31.0'], k.options(second, env)), {timeoutMs: 120_000}),
    ])

    // Then each either succeeded or was turned away as busy (exit 4), at least one succeeded
    for (const result of [a, b]) {
      assert.ok(result.code === 0 || (result.code === 4 && /^Error: cluster web is busy \(held by \S+\/\d+\/ke update web\)/.test(result.stderr)), `${result.code}: ${result.stderr}`)
    }
    assert.ok(a.code === 0 || b.code === 0, 'one of them succeeded')
    // and the record holds every change that was reported done, nothing else lost
    const cluster = await k.cluster('web')
    assert.equal(cluster.status.phase, 'Running')
    if (a.code === 0) assert.equal(cluster.spec.options['node-count'], 4)
    if (b.code === 0) assert.equal(cluster.spec.options['kubernetes-version'], 'v1.31.0')
    // and the driver was asked to update once per success, none for the one turned away
    const updates = readFileSync(join(cloud, 'requests.jsonl'), 'utf8').trim().split('\n').filter((line) => JSON.parse(line).method === 'Update')
    assert.equal(updates.length, [a, b].filter((result) => result.code === 0).length)
  })
})

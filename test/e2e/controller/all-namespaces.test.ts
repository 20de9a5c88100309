// Issue 16: `ke controller --all-namespaces` reconciles Cluster objects in every namespace. On a control
// plane of this file alone (privateKubernetes): on the shared one it would take every other test's Clusters.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes, privateKubernetes} from '../../support/kubernetes.js'
import {sampleRequests, waitFor} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

describe('ke controller --all-namespaces', needsKubernetes, () => {
  let team: ControllerEnv
  let other: ControllerEnv
  before(async () => {
    const kube = await privateKubernetes()
    team = await controllerEnv('ke-ctl-all-a', kube)
    other = await controllerEnv('ke-ctl-all-b', kube)
  })
  after(async () => {
    await team?.dispose()
    await other?.dispose()
  })

  it('makes Clusters in two namespaces Running, and removes a deleted one in either', async () => {
    // Given one controller watching every namespace (its --store names only the kubeconfig context)
    const controller = team.startController(['--all-namespaces'])

    // When a Cluster is applied in each of two namespaces
    // (names differ: the driver gets the object's name, and the sample cloud, like a real provider's, adopts a same-named cluster)
    await team.apply('web', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await other.apply('api', {driver: {name: 'sample'}, options: {'node-count': 2}})

    // Then both become Running, each with its own cluster
    const running = (o: any) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True'
    const a = await team.waitForCluster('web', 'Running', running)
    const b = await other.waitForCluster('api', 'Running', running)
    assert.equal(a.status.nodeCount, 1)
    assert.equal(b.status.nodeCount, 2)
    assert.notEqual(a.status.endpoint, b.status.endpoint)
    assert.deepEqual(b.metadata.finalizers, ['ke.io/cluster'])
    // and the CLI on each namespace sees its own
    for (const env of [team, other]) {
      const ls = await env.ke(['ls', '--json', '--store', env.store])
      assert.equal(ls.code, 0, ls.stderr)
      assert.deepEqual(JSON.parse(ls.stdout).map((row: {name: string; status: string}) => [row.name, row.status]), [[env === team ? 'web' : 'api', 'Running']])
    }

    // When the one in the other namespace is deleted
    await other.remove('api')

    // Then its Remove runs and it goes; the first is left Running
    await waitFor(async () => (await other.get('api')) === undefined, 'api in the other namespace to be gone', 60_000)
    assert.equal(sampleRequests(team.home).filter((r) => r.method === 'Remove').length, 1)
    assert.equal((await team.get('web'))?.status?.phase, 'Running')

    // When the first is deleted too
    await team.remove('web')

    // Then it goes as well
    await waitFor(async () => (await team.get('web')) === undefined, 'web in the first namespace to be gone', 60_000)
    assert.equal(sampleRequests(team.home).filter((r) => r.method === 'Remove').length, 2)
    assert.equal((await controller.stop()).code, 0)
  })
})

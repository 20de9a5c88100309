// A Cluster carrying the controller's finalizer (`ke.io/cluster`) while no controller runs: `ke rm` and
// `ke store migrate --delete-source` ran the Remove (or moved the record) under the Lease, so the object
// must really go, on the run's REAL API server; other finalizers are not ours to drop.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {PatchStrategy, setHeaderOptions} from '@kubernetes/client-node'
import {makeHome, runKe, runKeJson, waitFor} from '../support/ke.js'
import {needsKubernetes} from '../support/kubernetes.js'
import {cliStore, type CliStore} from '../support/kubernetes-store-cli.js'

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

describe('ke rm and migrate --delete-source on a Cluster with the controller\'s finalizer', needsKubernetes, () => {
  const disposals: Array<() => void> = []
  after(() => disposals.forEach((dispose) => dispose()))

  async function clusterWithFinalizers(name: string, finalizers: string[]) {
    const {home, dispose} = makeHome('ke-finalizer-')
    disposals.push(dispose)
    const k = await cliStore(home)
    const created = await runKe(['create', '--driver', 'sample', name], k.options(home))
    assert.equal(created.code, 0, created.stderr)
    // as a controller would: its finalizer on the object
    await k.objects.patchNamespacedCustomObject(
      {group: 'ke.io', version: 'v1alpha1', namespace: k.namespace, plural: 'clusters', name, body: {metadata: {finalizers}}},
      mergePatch as never,
    )
    assert.deepEqual((await k.cluster(name)).metadata.finalizers, finalizers)
    return {home, k}
  }

  const names = async (k: CliStore) => (await k.clusters()).map((object) => object.metadata.name)

  it('rm -y removes it: the object is gone and create makes it anew', async () => {
    const {home, k} = await clusterWithFinalizers('web', ['ke.io/cluster'])

    const removed = await runKe(['rm', '-y', 'web'], k.options(home))
    assert.equal(removed.code, 0, removed.stderr)
    assert.match(removed.stdout, /Removed web/)
    await waitFor(async () => (await names(k)).length === 0, 'the Cluster object web to be gone', 30_000)

    const again = await runKe(['create', '--driver', 'sample', 'web'], k.options(home))
    assert.equal(again.code, 0, again.stderr)
  })

  it('rm drops only ke.io/cluster: another finalizer keeps the object until its owner drops it', async () => {
    const {home, k} = await clusterWithFinalizers('web', ['example.com/other', 'ke.io/cluster'])

    assert.equal((await runKe(['rm', '-y', 'web'], k.options(home))).code, 0)

    const object = await waitFor(async () => {
      const [left] = await k.clusters()
      return left?.metadata.finalizers?.includes('ke.io/cluster') === false ? left : undefined
    }, 'ke.io/cluster to be dropped')
    assert.deepEqual(object.metadata.finalizers, ['example.com/other'])
    assert.ok(object.metadata.deletionTimestamp)
    // its owner's turn: then it goes
    await k.objects.patchNamespacedCustomObject(
      {group: 'ke.io', version: 'v1alpha1', namespace: k.namespace, plural: 'clusters', name: 'web', body: {metadata: {finalizers: null}}},
      mergePatch as never,
    )
    await waitFor(async () => (await names(k)).length === 0, 'the Cluster object web to be gone', 30_000)
  })

  it('store migrate --to file --delete-source moves the record and the object goes', async () => {
    const {home, k} = await clusterWithFinalizers('web', ['ke.io/cluster'])

    const moved = await runKe(['store', 'migrate', '--to', 'file', '--delete-source'], k.options(home))
    assert.equal(moved.code, 0, moved.stderr)
    await waitFor(async () => (await names(k)).length === 0, 'the Cluster object web to be gone', 30_000)

    const inFile = await runKeJson(['ls'], {...k.options(home), env: {...k.options(home).env, KE_STORE: 'file'}})
    assert.deepEqual(inFile.json.map((row: {name: string; status: string}) => [row.name, row.status]), [['web', 'Running']])
  })
})

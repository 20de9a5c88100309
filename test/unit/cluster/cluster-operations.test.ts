// Issue 19: the operations beside create and update (size, version, etcd), in process: they call the
// driver only for what it claims, and store what it answers without ever replacing info with nothing.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createLocked} from '../../../src/cluster/lifecycle.js'
import {etcdSnapshot, getNodeCount, setNodeCount, setVersion} from '../../../src/cluster/operations.js'
import {KeError} from '../../../src/errors.js'
import {fakeInfo} from '../../support/fake-driver.js'
import {createRequest, NAME, world} from '../../support/lifecycle.js'

async function runningWorld(capabilities = {}) {
  const w = world({capabilities})
  const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
  return {...w, cluster}
}

describe('cluster operations', () => {
  it('refuses a size change the driver does not claim, without calling SetNodeCount', async () => {
    // Given a driver that does not claim setClusterSize
    const w = await runningWorld({setClusterSize: false})

    // When the size is set
    const attempt = setNodeCount(w.deps('size set'), w.driver, w.cluster, 5)

    // Then DRIVER_UNSUPPORTED, no SetNodeCount call, and the stored node count is unchanged
    await assert.rejects(attempt, (error: unknown) => error instanceof KeError && error.keCode === 'DRIVER_UNSUPPORTED')
    assert.deepEqual([w.driver.callsOf('setNodeCount'), w.store.peek(NAME)?.info?.nodeCount], [[], 3])
  })

  it('stores the new node count when the driver answers with no info (a Go driver)', async () => {
    // Given a Running cluster of 3 nodes
    const w = await runningWorld()

    // When it is set to 5
    await setNodeCount(w.deps('size set'), w.driver, w.cluster, 5)

    // Then the driver got the stored info and 5, and the record says 5 with the rest of the info kept
    assert.deepEqual(w.driver.callsOf('setNodeCount')[0].args, [w.cluster.info, 5])
    assert.deepEqual(w.store.peek(NAME)?.info, {...w.cluster.info, nodeCount: 5})
  })

  it('stores the info an SDK driver answers a version change with', async () => {
    // Given a driver that answers SetVersion with changed info
    const w = await runningWorld()
    w.driver.next('setVersion', async () => fakeInfo({version: '1.31.0', endpoint: 'https://10.0.0.2:6443'}))

    // When the version is set
    await setVersion(w.deps('version set'), w.driver, w.cluster, '1.31.0')

    // Then the record holds the driver's info
    assert.deepEqual([w.store.peek(NAME)?.info?.version, w.store.peek(NAME)?.info?.endpoint], ['1.31.0', 'https://10.0.0.2:6443'])
  })

  it('keeps the stored info when an old driver answers an etcd restore with nothing', async () => {
    // Given a Running cluster
    const w = await runningWorld()

    // When a snapshot is restored and the driver answers with no info
    await etcdSnapshot(w.deps('etcd restore'), w.driver, w.cluster, 'restore', 'snap-1')

    // Then the driver got the snapshot name, and the stored info is unchanged
    assert.equal(w.driver.callsOf('etcdRestore')[0].args[2], 'snap-1')
    assert.deepEqual(w.store.peek(NAME)?.info, w.cluster.info)
  })

  it('reads the size from the driver, with the stored info', async () => {
    // Given a Running cluster
    const w = await runningWorld()
    w.driver.next('getNodeCount', async () => 7)

    // When the size is read
    const count = await getNodeCount(w.driver, w.cluster)

    // Then it is what the driver said, asked with the stored info
    assert.deepEqual([count, w.driver.callsOf('getNodeCount')[0].args[0]], [7, w.cluster.info])
  })
})

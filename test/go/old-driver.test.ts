// ke runs the Go driver built against an older proto (as many drivers in the wild are): no
// ETCDRemoveSnapshot, no RemoveLegacyServiceAccount, ETCDRestore returning Empty.
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import {makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'
import {goBuild, goCloud, goDriverEnv, ok, readRecords, type GoBuild} from './support.js'

describe('go driver (old proto)', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  it('go driver (old proto) › etcd remove says the driver does not implement ETCDRemoveSnapshot, restore keeps the stored info', async (t) => {
    // Given a cluster made by a driver built before ETCDRemoveSnapshot existed, with a snapshot
    const {home, dispose} = makeHome('ke-go-old-')
    t.after(dispose)
    const env = goDriverEnv(home)
    const ke = (args: string[]) => runKe(args, {home, env})
    ok(await ke(['create', '--driver', go.oldDriver, '--access-key', 'ak-old', 'legacy']), 'ke create')
    ok(await ke(['etcd', 'save', 'legacy', 'nightly']), 'ke etcd save')
    const stored = readCluster(home, 'legacy')

    // When restoring (the old ETCDRestore answers Empty, which decodes as an empty ClusterInfo)
    ok(await ke(['etcd', 'restore', 'legacy', 'nightly']), 'ke etcd restore')
    // Then the stored info was not replaced by that empty one
    const records = readRecords(env.GO_DRIVER_RECORD)
    assert.deepEqual(records.find((r) => r.method === 'ETCDRestore')?.response, {})
    const after = readCluster(home, 'legacy')
    assert.deepEqual(after.info, stored.info)
    assert.equal(after.status, 'Running')

    // When removing the snapshot
    const removed = await ke(['etcd', 'remove', 'legacy', 'nightly'])
    // Then ke called ETCDRemoveSnapshot, got UNIMPLEMENTED, and says so in one line, exit 1
    assert.equal(removed.code, 1, removed.stderr)
    assert.match(removed.stderr, /driver \S*goold does not implement ETCDRemoveSnapshot/)
    const call = readRecords(env.GO_DRIVER_RECORD).find((r) => r.method === 'ETCDRemoveSnapshot')
    assert.ok(call?.unknown, 'the call reached the driver as an unknown method')
    // and the snapshot is still there
    const id = JSON.parse(stored.info.metadata.state)['cluster-id']
    assert.deepEqual(Object.keys(goCloud(home)[id].snapshots), ['nightly'])
  })

  it('go driver (old proto) › capabilities map the wire numbers to names, ke refuses what the driver does not claim, and a nil reply reads as not implemented', async (t) => {
    // Given a cluster of the old driver, which claims 0, 2 and 4 but not 1 (SetVersion) and 3 (SetClusterSize)
    const {home, dispose} = makeHome('ke-go-old-')
    t.after(dispose)
    const env = goDriverEnv(home)
    const ke = (args: string[]) => runKe(args, {home, env})
    ok(await ke(['create', '--driver', go.oldDriver, '--access-key', 'ak-old', 'caps']), 'ke create')

    // When asking for capabilities, trying to change version and size, and reading them
    const caps = await runKeJson(['capabilities', 'caps'], {home, env})
    const setVersion = await ke(['version', 'set', 'caps', '1.30.0'])
    const setSize = await ke(['size', 'set', 'caps', '4'])
    const getSize = await ke(['size', 'get', 'caps'])
    const getVersion = await ke(['version', 'get', 'caps'])

    // Then each capability number is read as PROTOCOL.md names it
    ok(caps, 'ke capabilities')
    const text = JSON.stringify(caps.json)
    for (const [name, on] of [['getVersion', true], ['setVersion', false], ['getClusterSize', true], ['setClusterSize', false], ['etcdBackup', true]] as const) {
      assert.ok(text.includes(`"${name}":${on}`), `${name} should be ${on}: ${text}`)
    }
    // and the changes the driver does not claim are refused before reaching it
    assert.equal(setVersion.code, 1, setVersion.stderr)
    assert.match(setVersion.stderr, /does not support changing the Kubernetes version/)
    assert.equal(setSize.code, 1, setSize.stderr)
    assert.match(setSize.stderr, /does not support changing the node count/)
    ok(getSize, 'ke size get')
    assert.equal(getSize.stdout.trim(), '3')
    // and a GetVersion that returned nothing (grpc-go: INTERNAL "proto: Marshal called with nil") reads as not implemented
    assert.equal(getVersion.code, 1, getVersion.stderr)
    assert.match(getVersion.stderr, /driver \S*goold does not implement GetVersion/)
    assert.equal(readRecords(env.GO_DRIVER_RECORD).find((r) => r.method === 'GetVersion')?.response, null)
    const methods = readRecords(env.GO_DRIVER_RECORD).map((r) => r.method)
    assert.equal(methods.includes('SetVersion') || methods.includes('SetNodeCount'), false, methods.join(', '))

    // When removing the cluster (this driver has no RemoveLegacyServiceAccount)
    ok(await ke(['rm', 'caps', '-y']), 'ke rm')
    // Then Remove deleted it in the cloud
    assert.deepEqual(goCloud(home), {})
  })
})

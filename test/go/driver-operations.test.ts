// ke runs a real grpc-go driver and the driver records every request: update, version, size,
// etcd snapshots and capabilities of a running cluster.
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import {readCluster} from '../support/ke.js'
import {assertCleanWire, createGoCluster, goBuild, goCloud, ok, only, wireInfo, world, type GoBuild, type World} from './support.js'

describe('go driver operations', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  const create = (w: World, name: string, extra: string[] = []) => createGoCluster(w, go, name, extra)

  it('go driver › update sends the user options, stored create options, metadata verbatim and the flattened state', async (t) => {
    // Given a running cluster
    const w = world(t)
    await create(w, 'upd', ['--region', 'eu-west-1'])
    const stored = readCluster(w.home, 'upd')
    const state = JSON.parse(stored.info.metadata.state)

    // When updating node count, auto-upgrade and tags
    ok(await w.ke(['update', 'upd', '--node-count', '5', '--no-auto-upgrade', '--add-tags', 'env=prod', '--add-tags', 'tier=web']), 'ke update')

    // Then the Update request carried the stored ClusterInfo
    const req = only(w.records(), 'Update').request
    assert.deepEqual(req.cluster_info, wireInfo(stored.info))
    const o = req.driver_options
    // and the user's values under both spellings, winning over stored options and state
    assert.equal(o.int_options['node-count'], '5')
    assert.equal(o.int_options.nodeCount, '5')
    assert.equal(o.bool_options['auto-upgrade'], false)
    assert.equal(o.bool_options.autoUpgrade, false)
    assert.deepEqual(o.string_slice_options['add-tags'], {value: ['env=prod', 'tier=web']})
    assert.deepEqual(o.string_slice_options.addTags, {value: ['env=prod', 'tier=web']})
    assert.equal(o.string_options.name, 'upd')
    // and non-state metadata verbatim, but not the state itself
    assert.equal(o.string_options['provider-id'], stored.info.metadata['provider-id'])
    assert.equal('state' in o.string_options, false, 'metadata.state is flattened, not sent whole')
    // and the state flattened by JSON type into keys nobody gave
    assert.equal(o.string_options['cluster-id'], state['cluster-id'])
    assert.equal(o.int_options['zone-count'], '2')
    assert.equal(o.bool_options['logging-enabled'], true)
    assert.deepEqual(o.string_slice_options.subnets, {value: ['10.0.0.0/24', '10.0.1.0/24']})

    // and the driver applied it: ke stored the info the post-check after Update returned
    const updated = readCluster(w.home, 'upd')
    assert.equal(updated.status, 'Running')
    const checks = w.records('PostCheck')
    assert.deepEqual(checks.at(-1)!.request, only(w.records(), 'Update').response)
    assert.deepEqual(wireInfo(updated.info), checks.at(-1)!.response)
    assert.equal(updated.info.nodeCount, 5)
    const cloud = goCloud(w.home)[state['cluster-id']]
    assert.equal(cloud.nodeCount, 5)
    assert.equal(cloud.autoUpgrade, false)
    assert.deepEqual(cloud.tags, ['team=ke', 'env=test', 'env=prod', 'tier=web'])
    assertCleanWire(w.records())
    // and the stored create options the user did not override were sent too, under both spellings
    // (Rancher sends the whole config on Update; drivers read e.g. their region from it)
    for (const [kebab, camel, value] of [['instance-type', 'instanceType', 'standard-2']]) {
      assert.equal(o.string_options[kebab], value, `stored create option ${kebab} is sent on update`)
      assert.equal(o.string_options[camel], value, `stored create option ${camel} is sent on update`)
    }
    assert.equal(o.int_options['max-nodes'], '10', 'stored create option max-nodes is sent on update')
    assert.deepEqual(o.string_slice_options.tags, {value: ['team=ke', 'env=test']}, 'stored create option tags is sent on update')
    // but an option the driver lists as updatable is sent only when given, so a change made since
    // create (e.g. by `ke version set`) is not reverted by a stale stored value
    assert.equal('kubernetes-version' in o.string_options, false)
    assert.equal('kubernetesVersion' in o.string_options, false)
  })

  it('go driver › version and size get/set reach GetVersion, SetVersion, GetNodeCount and SetNodeCount with the stored info', async (t) => {
    // Given a running cluster (version 1.29.1, 3 nodes)
    const w = world(t)
    await create(w, 'vs')
    const stored = readCluster(w.home, 'vs').info

    // When reading and changing version and size
    const v1 = await w.ke(['version', 'get', 'vs'])
    ok(await w.ke(['version', 'set', 'vs', '1.30.2']), 'ke version set')
    const v2 = await w.ke(['version', 'get', 'vs'])
    const s1 = await w.ke(['size', 'get', 'vs'])
    ok(await w.ke(['size', 'set', 'vs', '6']), 'ke size set')
    const s2 = await w.ke(['size', 'get', 'vs'])

    // Then ke printed what the driver answered
    for (const [r, want] of [[v1, '1.29.1'], [v2, '1.30.2'], [s1, '3'], [s2, '6']] as const) {
      ok(r, 'get')
      assert.equal(r.stdout.trim(), want)
    }
    // and each call carried the stored info, and the set calls their value
    const records = w.records()
    for (const method of ['GetVersion', 'SetVersion', 'GetNodeCount', 'SetNodeCount']) {
      for (const r of records.filter((x) => x.method === method)) {
        const info = method.startsWith('Set') ? r.request.info : r.request
        assert.deepEqual(info.metadata, stored.metadata, `${method} got the stored metadata`)
        assert.equal(info.endpoint, stored.endpoint)
      }
    }
    assert.deepEqual(only(records, 'SetVersion').request.version, {version: '1.30.2'})
    assert.deepEqual(only(records, 'SetNodeCount').request.count, {count: '6'})
    assertCleanWire(records)
  })

  it('go driver › --json version and size output carry the values, and driver refusals show its text', async (t) => {
    // Given a running cluster
    const w = world(t)
    await create(w, 'vsj')
    // When reading as JSON and asking for values the fake cloud refuses
    const version = await w.keJson(['version', 'get', 'vsj'])
    const size = await w.keJson(['size', 'get', 'vsj'])
    const badVersion = await w.ke(['version', 'set', 'vsj', 'banana'])
    const badSize = await w.ke(['size', 'set', 'vsj', '11'])
    // Then JSON holds the driver's values
    assert.deepEqual(version.json, {name: 'vsj', version: '1.29.1'})
    assert.deepEqual(size.json, {name: 'vsj', nodeCount: 3})
    // and the refusals fail with exit 1 and the driver's error text
    assert.equal(badVersion.code, 1, badVersion.stderr)
    assert.ok(badVersion.stderr.includes('kubernetes version "banana" is not offered by the fake cloud (want 1.MINOR.PATCH)'), badVersion.stderr)
    assert.equal(badSize.code, 1, badSize.stderr)
    assert.ok(badSize.stderr.includes('node count 11 is out of range 1..10'), badSize.stderr)
    assertCleanWire(w.records())
  })

  it('go driver › etcd save, restore and remove reach the driver with the snapshot name, and restore stores the returned info', async (t) => {
    // Given a running cluster of 3 nodes with a snapshot, then resized to 7
    const w = world(t)
    await create(w, 'snap')
    ok(await w.ke(['etcd', 'save', 'snap', 'before-resize']), 'ke etcd save')
    ok(await w.ke(['size', 'set', 'snap', '7']), 'ke size set')

    // When restoring the snapshot
    ok(await w.ke(['etcd', 'restore', 'snap', 'before-resize']), 'ke etcd restore')

    // Then the cluster is back to 3 nodes and ke stored the ClusterInfo ETCDRestore returned
    const restore = only(w.records(), 'ETCDRestore')
    assert.equal(restore.request.SnapshotName, 'before-resize')
    assert.notEqual(restore.request.info, null)
    const cluster = readCluster(w.home, 'snap')
    assert.deepEqual(wireInfo(cluster.info), restore.response)
    assert.equal(JSON.parse(cluster.info.metadata.state)['restored-from'], 'before-resize')
    const size = await w.ke(['size', 'get', 'snap'])
    assert.equal(size.stdout.trim(), '3')
    assert.equal(only(w.records(), 'ETCDSave').request.SnapshotName, 'before-resize')

    // When removing the snapshot, twice
    ok(await w.ke(['etcd', 'remove', 'snap', 'before-resize']), 'ke etcd remove')
    const again = await w.ke(['etcd', 'remove', 'snap', 'before-resize'])
    const missing = await w.ke(['etcd', 'restore', 'snap', 'never-saved'])
    // Then the first reached ETCDRemoveSnapshot, the second failed with the driver's text
    assert.equal(w.records('ETCDRemoveSnapshot')[0].request.SnapshotName, 'before-resize')
    assert.equal(again.code, 1, again.stderr)
    assert.ok(again.stderr.includes('snapshot "before-resize" not found'), again.stderr)
    assert.equal(missing.code, 1, missing.stderr)
    assert.ok(missing.stderr.includes('snapshot "never-saved" not found'), missing.stderr)
    assert.deepEqual(goCloud(w.home)[JSON.parse(cluster.info.metadata.state)['cluster-id']].snapshots, {})
    assertCleanWire(w.records())
  })

  it('go driver › capabilities shows the capability numbers and the K8s capabilities the driver declares', async (t) => {
    // Given a running cluster
    const w = world(t)
    await create(w, 'caps')
    // When asking for its capabilities
    const result = await w.keJson(['capabilities', 'caps'])
    ok(result, 'ke capabilities')
    // Then all five capabilities are on and the K8s capabilities came from GetK8sCapabilities
    const text = JSON.stringify(result.json)
    for (const name of ['getVersion', 'setVersion', 'getClusterSize', 'setClusterSize', 'etcdBackup']) {
      assert.ok(new RegExp(`"${name}":true`).test(text), `${name} is on: ${text}`)
    }
    assert.ok(text.includes('fake-lb') && text.includes('fake-ingress') && text.includes('30000-32767'), text)
    assert.equal(w.records('GetK8sCapabilities').length, 1, 'the wire method is GetK8sCapabilities (lower-case s)')
    assertCleanWire(w.records())
  })
})

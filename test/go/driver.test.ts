// ke runs a real grpc-go driver (test/go/driver, built from proto/drivers.proto by Debian's Go
// toolchain) and the driver records every request, so these tests assert exactly what ke sent.
import assert from 'node:assert/strict'
import {before, describe, it, type TestContext} from 'node:test'
import {makeHome, readCluster, clusterExists, runKe, runKeJson, type KeResult} from '../support/ke.js'
import {goBuild, goCloud, goDriverEnv, readRecords, type DriverRecord, type GoBuild} from './support.js'

const ACCESS_KEY = 'ak-9f3c-secret-key'

interface World {
  home: string
  env: Record<string, string>
  ke: (args: string[]) => Promise<KeResult>
  keJson: (args: string[]) => Promise<KeResult & {json: any}>
  records: (method?: string) => DriverRecord[]
}

function world(t: TestContext): World {
  const {home, dispose} = makeHome('ke-go-driver-')
  t.after(dispose)
  const env = goDriverEnv(home)
  return {
    home,
    env,
    ke: (args) => runKe(args, {home, env}),
    keJson: (args) => runKeJson(args, {home, env}),
    records: (method) => readRecords(env.GO_DRIVER_RECORD).filter((r) => method === undefined || r.method === method),
  }
}

function ok(result: KeResult, what: string): void {
  assert.equal(result.code, 0, `${what} failed (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
}

/** No request carried fields the driver's proto does not declare, and ke called no unknown method. */
function assertCleanWire(records: DriverRecord[], allowUnknown: string[] = []): void {
  for (const r of records) {
    assert.deepEqual(r.unrecognized, [], `${r.method}: ke sent field numbers the Go driver does not know`)
    if (r.unknown) assert.ok(allowUnknown.includes(r.method), `ke called ${r.method}, which is not a method of types.Driver`)
  }
}

function only(records: DriverRecord[], method: string): DriverRecord {
  const found = records.filter((r) => r.method === method)
  assert.equal(found.length, 1, `expected one ${method} call, got ${found.length}: ${records.map((r) => r.method).join(', ')}`)
  return found[0]
}

/** The wire (proto3 JSON) form of the ClusterInfo ke stored. */
function wireInfo(info: any): any {
  return {
    version: info.version,
    service_account_token: info.serviceAccountToken,
    endpoint: info.endpoint,
    username: info.username,
    password: info.password,
    root_ca_certificate: info.rootCaCertificate,
    client_certificate: info.clientCertificate,
    client_key: info.clientKey,
    node_count: String(info.nodeCount),
    metadata: info.metadata,
    status: info.status,
    create_error: info.createError,
  }
}

describe('go driver', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  const create = async (w: World, name: string, extra: string[] = []) => {
    const result = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, ...extra, name])
    ok(result, `ke create ${name}`)
    return result
  }

  it('go driver › `ke create --driver <go binary> --help` lists the options the driver declares', async (t) => {
    // Given the Go driver binary
    const w = world(t)
    // When asking ke for the create help of that driver
    const result = await w.ke(['create', '--driver', go.driver, '--help'])
    // Then every declared option is listed as a flag, with its usage text
    ok(result, 'ke create --help')
    const options: Record<string, string> = {
      region: 'Region of the fake cloud to create the cluster in',
      'instance-type': 'Instance type of the worker nodes',
      'access-key': 'API key of the fake cloud account',
      'kubernetes-version': 'Kubernetes version of the control plane',
      description: 'Free text shown in the fake cloud console',
      'node-count': 'Number of worker nodes',
      'max-nodes': 'Largest node count the cluster may scale to',
      'disk-size-gb': 'Disk size of each node in GB',
      'max-pods': 'Pods per node',
      'enable-logging': 'Ship control plane logs',
      'enable-alpha-features': 'Turn on alpha Kubernetes features',
      'private-nodes': 'Give nodes no public address',
      'auto-upgrade': 'Upgrade the control plane automatically',
      monitoring: "Install the cloud's monitoring agent",
      tags: 'Tags (key=value) put on every resource',
      zones: 'Zones to spread the nodes over',
      'simulate-quota-error': 'Make the cloud resources, then fail the first create with a quota error',
    }
    const text = result.stdout.replace(/\s+/g, ' ')
    for (const [name, usage] of Object.entries(options)) {
      assert.match(result.stdout, new RegExp(`--${name}\\b`), `--${name} is listed`)
      assert.ok(text.includes(usage), `the usage of --${name} is shown: ${usage}`)
    }
    // and asking for options did not create anything
    assert.deepEqual(w.records('Create'), [])
  })

  it('go driver › create sends declared defaults (Default over Flag.value), leaves pointer options out, sets name, and uses both key spellings', async (t) => {
    // Given the Go driver and only the required option
    const w = world(t)
    // When creating a cluster
    await create(w, 'defaults')

    // Then the Create request carried all four maps, an empty ClusterInfo, and these options
    const records = w.records()
    const req = only(records, 'Create').request
    assert.notEqual(req.driver_options, null, 'driver_options present')
    const o = req.driver_options
    const both = (map: Record<string, unknown>, kebab: string, camel: string, value: unknown) => {
      assert.deepEqual(map[kebab], value, `${kebab}`)
      assert.deepEqual(map[camel], value, `${camel} (Rancher's spelling)`)
    }
    assert.equal(o.string_options.name, 'defaults')
    assert.equal(o.string_options.displayName, 'defaults')
    both(o.string_options, 'access-key', 'accessKey', ACCESS_KEY)
    assert.equal(o.string_options.region, 'us-east-1', 'Default.defaultString')
    both(o.string_options, 'instance-type', 'instanceType', 'standard-2') // only Flag.value
    both(o.string_options, 'kubernetes-version', 'kubernetesVersion', '1.29.1') // Default wins over Flag.value
    assert.equal(o.string_options.description, '', 'a string without default is sent empty')
    both(o.int_options, 'node-count', 'nodeCount', '3')
    both(o.int_options, 'max-nodes', 'maxNodes', '10') // an int default in Flag.value, parsed
    both(o.int_options, 'max-pods', 'maxPods', '110') // intPtr with a default is sent
    for (const key of ['disk-size-gb', 'diskSizeGb']) assert.equal(key in o.int_options, false, `intPtr ${key} without default is left out`)
    both(o.bool_options, 'enable-logging', 'enableLogging', true)
    both(o.bool_options, 'enable-alpha-features', 'enableAlphaFeatures', false)
    both(o.bool_options, 'simulate-quota-error', 'simulateQuotaError', false)
    both(o.bool_options, 'auto-upgrade', 'autoUpgrade', true) // boolPtr with a default is sent
    assert.equal(o.bool_options.monitoring, true, 'a boolPtr default in Flag.value, parsed')
    for (const key of ['private-nodes', 'privateNodes']) assert.equal(key in o.bool_options, false, `boolPtr ${key} without default is left out`)
    both(o.string_slice_options, 'tags', 'tags', {value: ['team=ke', 'env=test']})
    if ('zones' in o.string_slice_options) assert.deepEqual(o.string_slice_options.zones.value, [], 'a list without default is empty if sent')
    const info = req.cluster_info
    if (info !== null) {
      assert.deepEqual(info.metadata, {}, 'a first create carries no stored metadata')
      assert.equal(info.endpoint, '')
      assert.equal(info.create_error, '')
    }

    // and PostCheck got exactly the info Create returned, and ke stored what PostCheck returned
    const created = only(records, 'Create').response
    assert.deepEqual(only(records, 'PostCheck').request, created)
    const checked = only(records, 'PostCheck').response
    const cluster = readCluster(w.home, 'defaults')
    assert.equal(cluster.status, 'Running')
    assert.deepEqual(wireInfo(cluster.info), checked)
    const state = JSON.parse(cluster.info.metadata.state)
    assert.equal(cluster.info.serviceAccountToken, `sa-token-${state['cluster-id']}`)
    assert.equal(cluster.info.status, 'PROVISIONED', "the driver's own status is kept apart from ke's")
    assert.equal(goCloud(w.home)[state['cluster-id']].phase, 'running')
    assertCleanWire(records)
  })

  it('go driver › create sends the values given on the command line, by type, under both spellings', async (t) => {
    // Given options of every type on the command line
    const w = world(t)
    await create(w, 'given', [
      '--region', 'eu-west-1',
      '--instance-type', 'large-4',
      '--kubernetes-version', '1.30.4',
      '--description', 'hello world',
      '--node-count', '4',
      '--disk-size-gb', '80',
      '--max-pods', '64',
      '--no-enable-logging',
      '--enable-alpha-features',
      '--private-nodes',
      '--no-auto-upgrade',
      '--tags', 'a=1',
      '--tags', 'b=2',
      '--zones', 'z1,z2',
    ])
    // Then the driver received each value with its type, under the declared and the camelCase key
    const o = only(w.records(), 'Create').request.driver_options
    const expect: Array<[string, string, string, unknown]> = [
      ['string_options', 'region', 'region', 'eu-west-1'],
      ['string_options', 'instance-type', 'instanceType', 'large-4'],
      ['string_options', 'kubernetes-version', 'kubernetesVersion', '1.30.4'],
      ['string_options', 'description', 'description', 'hello world'],
      ['int_options', 'node-count', 'nodeCount', '4'],
      ['int_options', 'disk-size-gb', 'diskSizeGb', '80'],
      ['int_options', 'max-pods', 'maxPods', '64'],
      ['bool_options', 'enable-logging', 'enableLogging', false],
      ['bool_options', 'enable-alpha-features', 'enableAlphaFeatures', true],
      ['bool_options', 'private-nodes', 'privateNodes', true],
      ['bool_options', 'auto-upgrade', 'autoUpgrade', false],
      ['string_slice_options', 'tags', 'tags', {value: ['a=1', 'b=2']}],
      ['string_slice_options', 'zones', 'zones', {value: ['z1', 'z2']}],
    ]
    for (const [map, kebab, camel, value] of expect) {
      assert.deepEqual(o[map][kebab], value, kebab)
      assert.deepEqual(o[map][camel], value, camel)
    }
    // and the cloud cluster was made with them
    const cluster = readCluster(w.home, 'given')
    const cloud = goCloud(w.home)[JSON.parse(cluster.info.metadata.state)['cluster-id']]
    assert.equal(cloud.region, 'eu-west-1')
    assert.equal(cloud.version, '1.30.4')
    assert.equal(cloud.nodeCount, 4)
    assert.equal(cloud.autoUpgrade, false)
    assert.deepEqual(cloud.tags, ['a=1', 'b=2'])
    assertCleanWire(w.records())
  })

  it("go driver › a create the driver refuses fails with the driver's own error text", async (t) => {
    // Given a create without the required access key, and one in a region the cloud lacks
    const w = world(t)
    const missing = await w.ke(['create', '--driver', go.driver, 'nokey'])
    const badRegion = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, '--region', 'mars-1', 'mars'])
    // Then ke fails (exit 1) showing the text the driver returned as gRPC UNKNOWN
    assert.equal(missing.code, 1, missing.stderr)
    assert.ok(missing.stderr.includes('access-key is required: the fake cloud refuses anonymous requests'), missing.stderr)
    assert.equal(badRegion.code, 1, badRegion.stderr)
    assert.ok(badRegion.stderr.includes('region "mars-1" is not offered by the fake cloud (offered: [us-east-1 us-west-2 eu-west-1])'), badRegion.stderr)
    assert.equal(w.records('Create').length, 2)
    assert.equal(w.records('Create').every((r) => r.code === 'Unknown'), true)
    assert.deepEqual(w.records('PostCheck'), [])
  })

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
    // and the stored create options the user did not override
    assert.equal(o.string_options.region, 'eu-west-1')
    assert.equal(o.string_options.name, 'upd')
    assert.equal(o.string_options['instance-type'], 'standard-2')
    // and non-state metadata verbatim, but not the state itself
    assert.equal(o.string_options['provider-id'], stored.info.metadata['provider-id'])
    assert.equal('state' in o.string_options, false, 'metadata.state is flattened, not sent whole')
    // and the state flattened by JSON type into keys nobody gave
    assert.equal(o.string_options['cluster-id'], state['cluster-id'])
    assert.equal(o.int_options['zone-count'], '2')
    assert.equal(o.bool_options['logging-enabled'], true)
    assert.deepEqual(o.string_slice_options.subnets, {value: ['10.0.0.0/24', '10.0.1.0/24']})

    // and the driver applied it: ke stored the returned info and the cloud has 5 nodes
    const updated = readCluster(w.home, 'upd')
    assert.equal(updated.status, 'Running')
    assert.deepEqual(wireInfo(updated.info), only(w.records(), 'Update').response)
    assert.equal(updated.info.nodeCount, 5)
    const cloud = goCloud(w.home)[state['cluster-id']]
    assert.equal(cloud.nodeCount, 5)
    assert.equal(cloud.autoUpgrade, false)
    assert.deepEqual(cloud.tags, ['team=ke', 'env=test', 'env=prod', 'tier=web'])
    assertCleanWire(w.records())
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
    assert.ok(JSON.stringify(version.json).includes('"1.29.1"'), version.stdout)
    assert.ok(Object.values(size.json).includes(3), size.stdout)
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

  it('go driver › ls and inspect show the cluster without its secrets, rm calls Remove with the stored info', async (t) => {
    // Given two running clusters
    const w = world(t)
    await create(w, 'one')
    await create(w, 'two')
    const one = readCluster(w.home, 'one')

    // When listing and inspecting
    const ls = await w.keJson(['ls'])
    ok(ls, 'ke ls')
    const inspect = await w.ke(['inspect', 'one'])
    ok(inspect, 'ke inspect')
    const inspectJson = await w.keJson(['inspect', 'one'])
    const secrets = await w.ke(['inspect', 'one', '--show-secrets'])

    // Then both clusters are listed as Running
    const listed = JSON.stringify(ls.json)
    for (const name of ['one', 'two']) assert.ok(listed.includes(`"${name}"`), listed)
    assert.equal((listed.match(/"Running"/g) ?? []).length >= 2, true, listed)
    // and inspect shows the endpoint but none of the secrets unless asked
    assert.ok(inspect.stdout.includes(one.info.endpoint), inspect.stdout)
    for (const out of [inspect.stdout, inspectJson.stdout]) {
      assert.equal(out.includes(one.info.password), false, 'the password is hidden')
      assert.equal(out.includes(one.info.serviceAccountToken), false, 'the token is hidden')
      assert.equal(out.includes(ACCESS_KEY), false, 'the password option is hidden')
    }
    ok(secrets, 'ke inspect --show-secrets')
    assert.ok(secrets.stdout.includes(one.info.password), 'shown with --show-secrets')

    // When removing one
    ok(await w.ke(['rm', 'one', '-y']), 'ke rm')
    // Then Remove carried the stored info, the cloud cluster is gone, and only two is left
    const remove = only(w.records(), 'Remove')
    assert.deepEqual(remove.request, wireInfo(one.info))
    const ids = Object.keys(goCloud(w.home))
    assert.equal(ids.includes(JSON.parse(one.info.metadata.state)['cluster-id']), false)
    assert.equal(ids.length, 1)
    assert.equal(clusterExists(w.home, 'one'), false)
    const left = await w.keJson(['ls'])
    assert.equal(JSON.stringify(left.json).includes('"one"'), false)
    assert.ok(JSON.stringify(left.json).includes('"two"'))
    assertCleanWire(w.records())
  })

  it('go driver › a create that returns create_error is stored as Error, retried with the stored ClusterInfo, and then runs', async (t) => {
    // Given a driver that makes resources, then returns create_error
    const w = world(t)
    const first = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, '--simulate-quota-error', 'quota'])

    // Then ke fails with the create_error text and keeps the info
    assert.equal(first.code, 1, first.stderr)
    const failed = only(w.records(), 'Create').response
    assert.match(failed.create_error, /^quota exceeded: 3 standard-2 nodes requested in us-east-1 after making vpc-gx-quota-[0-9a-f]+$/)
    assert.ok(first.stderr.includes(failed.create_error), first.stderr)
    const stored = readCluster(w.home, 'quota')
    assert.equal(stored.status, 'Error')
    assert.deepEqual(stored.info.metadata, failed.metadata)
    assert.equal(stored.info.createError, failed.create_error)
    assert.deepEqual(w.records('PostCheck'), [], 'no post-check after a failed create')

    // When retrying the create
    ok(await w.ke(['create', 'quota']), 'ke create (retry)')

    // Then the retry carried the stored ClusterInfo and the stored metadata as string options
    const retry = w.records('Create')[1].request
    assert.deepEqual(retry.cluster_info.metadata, stored.info.metadata)
    assert.equal(retry.cluster_info.version, stored.info.version)
    assert.equal(retry.cluster_info.node_count, String(stored.info.nodeCount))
    assert.equal(retry.cluster_info.status, 'PROVISIONING_FAILED')
    assert.equal(retry.driver_options.string_options.state, stored.info.metadata.state)
    assert.equal(retry.driver_options.string_options['provider-id'], stored.info.metadata['provider-id'])
    assert.equal(retry.driver_options.string_options['access-key'], ACCESS_KEY, 'the create options were sent again')
    // and the driver resumed with the same cloud cluster, which now runs
    const running = readCluster(w.home, 'quota')
    assert.equal(running.status, 'Running')
    const id = JSON.parse(stored.info.metadata.state)['cluster-id']
    assert.equal(JSON.parse(running.info.metadata.state)['cluster-id'], id)
    assert.equal(running.info.serviceAccountToken, `sa-token-${id}`)
    assert.equal(running.info.createError, '')
    assert.deepEqual(Object.keys(goCloud(w.home)), [id])

    // When removing it
    ok(await w.ke(['rm', 'quota', '-y']), 'ke rm')
    // Then the cloud is empty
    assert.deepEqual(goCloud(w.home), {})
    assertCleanWire(w.records())
  })

  it('go driver › a cluster whose create returned create_error is removed with its stored info', async (t) => {
    // Given a create that failed after making resources
    const w = world(t)
    const first = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, '--simulate-quota-error', 'leftover'])
    assert.equal(first.code, 1, first.stderr)
    const stored = readCluster(w.home, 'leftover')
    assert.equal(Object.keys(goCloud(w.home)).length, 1, 'the failed create left resources')

    // When removing the cluster
    ok(await w.ke(['rm', 'leftover', '-y']), 'ke rm')

    // Then Remove got the stored info (with the state that names the resources) and they are gone
    assert.deepEqual(only(w.records(), 'Remove').request.metadata, stored.info.metadata)
    assert.deepEqual(goCloud(w.home), {})
    assert.equal(clusterExists(w.home, 'leftover'), false)
    assertCleanWire(w.records())
  })
})

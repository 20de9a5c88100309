// ke runs a real grpc-go driver (test/go/driver, built from proto/drivers.proto by Debian's Go
// toolchain) and the driver records every request, so these tests assert exactly what ke sent.
// Creating, listing, inspecting and removing; driver-operations.test.ts has the rest.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {clusterExists, readCluster} from '../support/ke.js'
import {ACCESS_KEY, assertCleanWire, createGoCluster, goBuild, goCloud, ok, only, wireInfo, world, type GoBuild, type World} from './support.js'

describe('go driver', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  const create = (w: World, name: string, extra: string[] = []) => createGoCluster(w, go, name, extra)

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

    // and the driver's logrus lines are kept with the cluster, the secret it logged redacted
    const log = readFileSync(join(w.home, 'clusters', 'defaults', 'driver.log'), 'utf8')
    assert.match(log, /level=info msg="request received" method=Create/)
    assert.match(log, /authenticating to the fake cloud with access key/)
    assert.equal(log.includes(ACCESS_KEY), false, 'the access key is not in the stored driver log')
  })

  it('go driver › create sends the values given on the command line, by type, under both spellings', async (t) => {
    // Given options of every type on the command line
    const w = world(t)
    // (the name comes first: see the next test for a list flag right before it)
    const given = await w.ke(['create', 'given', '--driver', go.driver, '--access-key', ACCESS_KEY,
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
    ok(given, 'ke create given')
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

  it('go driver › a list option right before the cluster name takes its value, not the name', async (t) => {
    // Given stringSlice options written as the help examples show them, just before NAME
    const w = world(t)
    // When creating with a comma-separated list and with a repeated list flag before the name
    const comma = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, '--zones', 'z1,z2', 'listed'])
    const repeated = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, '--tags', 'a=1', '--tags', 'b=2', 'repeated'])
    // Then both clusters are created, and the lists hold only the values
    ok(comma, 'ke create ... --zones z1,z2 listed')
    ok(repeated, 'ke create ... --tags a=1 --tags b=2 repeated')
    const [first, second] = w.records('Create').map((r) => r.request.driver_options)
    assert.deepEqual(first.string_slice_options.zones, {value: ['z1', 'z2']})
    assert.equal(first.string_options.name, 'listed')
    assert.deepEqual(second.string_slice_options.tags, {value: ['a=1', 'b=2']})
    assert.equal(second.string_options.name, 'repeated')
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
    // and the kubeconfig is made of the ClusterInfo the Go driver returned (base64 CA verbatim)
    const kubeconfig = await w.ke(['kubeconfig', 'one'])
    ok(kubeconfig, 'ke kubeconfig')
    const flat = kubeconfig.stdout.replace(/\s+/g, '')
    assert.ok(flat.includes(`server:${one.info.endpoint}`), kubeconfig.stdout)
    assert.ok(flat.includes(`certificate-authority-data:>-${one.info.rootCaCertificate}`) || flat.includes(`certificate-authority-data:${one.info.rootCaCertificate}`), kubeconfig.stdout)
    assert.ok(flat.includes(`token:${one.info.serviceAccountToken}`), kubeconfig.stdout)

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

    // When retrying the create (secrets are not stored: the access key is given again)
    ok(await w.ke(['create', 'quota', '--access-key', ACCESS_KEY]), 'ke create (retry)')

    // Then the retry carried the stored ClusterInfo and the stored metadata as string options
    const retry = w.records('Create')[1].request
    assert.deepEqual(retry.cluster_info.metadata, stored.info.metadata)
    assert.equal(retry.cluster_info.version, stored.info.version)
    assert.equal(retry.cluster_info.node_count, String(stored.info.nodeCount))
    assert.equal(retry.cluster_info.status, 'PROVISIONING_FAILED')
    assert.equal(retry.driver_options.string_options.state, stored.info.metadata.state)
    assert.equal(retry.driver_options.string_options['provider-id'], stored.info.metadata['provider-id'])
    assert.equal(retry.driver_options.string_options['access-key'], ACCESS_KEY)
    assert.equal(retry.driver_options.bool_options['simulate-quota-error'], true, 'the stored create options were sent again')
    assert.equal(retry.driver_options.string_options.instanceType, 'standard-2')
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

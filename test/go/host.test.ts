// A Go host (grpc-go, Go code generated from proto/drivers.proto) runs drivers the way Rancher
// does: proves that drivers written with our SDK work in a Go host unchanged, and pins the wire
// contract of PROTOCOL.md against what protoc and the Go generator make of our proto.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ROOT, makeHome, sampleRequests} from '../support/ke.js'
import {goBuild, goCloud, goDriverEnv, readRecords, runGoHost, type GoBuild} from './support.js'

const SAMPLE_MAIN = join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')
const ECHO_DRIVER = join(ROOT, 'test', 'fixtures', 'drivers', 'go-host-echo.ts')

/** PROTOCOL.md, transcribed: method -> [request, response]. */
const METHODS: Record<string, [string, string]> = {
  Create: ['CreateRequest', 'ClusterInfo'],
  Update: ['UpdateRequest', 'ClusterInfo'],
  PostCheck: ['ClusterInfo', 'ClusterInfo'],
  Remove: ['ClusterInfo', 'Empty'],
  GetDriverCreateOptions: ['Empty', 'DriverFlags'],
  GetDriverUpdateOptions: ['Empty', 'DriverFlags'],
  GetVersion: ['ClusterInfo', 'KubernetesVersion'],
  SetVersion: ['SetVersionRequest', 'Empty'],
  GetNodeCount: ['ClusterInfo', 'NodeCount'],
  SetNodeCount: ['SetNodeCountRequest', 'Empty'],
  GetCapabilities: ['Empty', 'Capabilities'],
  ETCDSave: ['SaveETCDSnapshotRequest', 'Empty'],
  ETCDRestore: ['RestoreETCDSnapshotRequest', 'ClusterInfo'],
  ETCDRemoveSnapshot: ['RemoveETCDSnapshotRequest', 'Empty'],
  GetK8sCapabilities: ['DriverOptions', 'K8sCapabilities'],
  RemoveLegacyServiceAccount: ['ClusterInfo', 'Empty'],
}

const snapshotRequest: Record<string, [number, string]> = {info: [1, 'ClusterInfo'], driver_options: [2, 'DriverOptions'], SnapshotName: [3, 'string']}

/** PROTOCOL.md, transcribed: message -> field -> [number, type]. */
const MESSAGES: Record<string, Record<string, [number, string]>> = {
  Empty: {},
  DriverFlags: {options: [1, 'map<string, Flag>']},
  Flag: {type: [1, 'string'], usage: [2, 'string'], value: [3, 'string'], default: [4, 'Default'], password: [5, 'bool']},
  Default: {defaultBool: [1, 'bool'], defaultString: [2, 'string'], defaultStringSlice: [3, 'StringSlice'], defaultInt: [4, 'int64']},
  DriverOptions: {
    bool_options: [1, 'map<string, bool>'],
    string_options: [2, 'map<string, string>'],
    int_options: [3, 'map<string, int64>'],
    string_slice_options: [4, 'map<string, StringSlice>'],
  },
  StringSlice: {value: [1, 'repeated string']},
  ClusterInfo: {
    version: [1, 'string'],
    service_account_token: [2, 'string'],
    endpoint: [3, 'string'],
    username: [4, 'string'],
    password: [5, 'string'],
    root_ca_certificate: [6, 'string'],
    client_certificate: [7, 'string'],
    client_key: [8, 'string'],
    node_count: [9, 'int64'],
    metadata: [10, 'map<string, string>'],
    status: [11, 'string'],
    create_error: [12, 'string'],
  },
  KubernetesVersion: {version: [1, 'string']},
  NodeCount: {count: [1, 'int64']},
  Capabilities: {capabilities: [1, 'map<int64, bool>']},
  CreateRequest: {driver_options: [1, 'DriverOptions'], cluster_info: [2, 'ClusterInfo']},
  UpdateRequest: {cluster_info: [1, 'ClusterInfo'], driver_options: [2, 'DriverOptions']},
  SetVersionRequest: {info: [1, 'ClusterInfo'], version: [2, 'KubernetesVersion']},
  SetNodeCountRequest: {info: [1, 'ClusterInfo'], count: [2, 'NodeCount']},
  SaveETCDSnapshotRequest: snapshotRequest,
  RestoreETCDSnapshotRequest: snapshotRequest,
  RemoveETCDSnapshotRequest: snapshotRequest,
  K8sCapabilities: {
    L4LoadBalancer: [1, 'LoadBalancerCapabilities'],
    IngressControllers: [2, 'repeated IngressCapabilities'],
    NodePoolScalingSupported: [3, 'bool'],
    NodePortRange: [4, 'string'],
  },
  LoadBalancerCapabilities: {
    Enabled: [1, 'bool'],
    Provider: [2, 'string'],
    ProtocolsSupported: [3, 'repeated string'],
    HealthCheckSupported: [4, 'bool'],
  },
  IngressCapabilities: {IngressProvider: [1, 'string'], CustomDefaultBackend: [2, 'bool']},
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

/** Every step of a host report answered without fields unknown to the Go side. */
function assertNoUnknownFields(report: any): void {
  for (const [name, value] of Object.entries(report)) {
    if (value && typeof value === 'object' && 'unrecognized' in (value as object)) {
      assert.deepEqual((value as any).unrecognized, [], `${name}: the reply carried field numbers the Go code does not know`)
    }
  }
}

function keysOf(options: any): string[] {
  return [options.string_options, options.int_options, options.bool_options, options.string_slice_options].flatMap((m) => Object.keys(m))
}

describe('go host', () => {
  let go: GoBuild
  const {home, dispose} = makeHome('ke-go-host-')

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )
  after(() => dispose())

  it('go host › the Go code generated from proto/drivers.proto has the package, methods and field numbers of PROTOCOL.md', () => {
    // Given the Go code protoc generated from our proto (the same file ke and the SDK load)
    // When the Go host describes the service and messages it was compiled with
    const out = spawnSync(go.host, ['describe'], {encoding: 'utf8'})
    assert.equal(out.status, 0, out.stderr)
    const described = JSON.parse(out.stdout)

    // Then every name, path, field number and type is the one PROTOCOL.md states
    assert.equal(described.package, 'types')
    assert.equal(described.service, 'Driver')
    const lines = (methods: Record<string, {path: string; input: string; output: string}>, messages: Record<string, Record<string, {number: number; type: string}>>) =>
      [
        ...Object.entries(methods).map(([name, m]) => `rpc ${name} (${m.input}) returns (${m.output}) at ${m.path}`),
        ...Object.entries(messages).flatMap(([message, fields]) => [
          `message ${message} has ${Object.keys(fields).length} fields`,
          ...Object.entries(fields).map(([field, f]) => `${message}.${field} = ${f.number} ${f.type}`),
        ]),
      ].sort()
    const methods = Object.fromEntries(Object.entries(METHODS).map(([name, [input, output]]) => [name, {path: `/types.Driver/${name}`, input, output}]))
    const messages = Object.fromEntries(
      Object.entries(MESSAGES).map(([name, fields]) => [name, Object.fromEntries(Object.entries(fields).map(([f, [number, type]]) => [f, {number, type}]))]),
    )
    assert.deepEqual(lines(described.methods, described.messages), lines(methods, messages))
  })

  it('go host › runs a grpc-go driver as Rancher does, with camelCase keys only (a check of the host itself)', async () => {
    // Given the Go driver and a config as a user puts it into Rancher's API
    const dir = join(home, 'go-driver')
    const env = goDriverEnv(dir)
    const {code, report, stderr} = await runGoHost(go.host, {
      command: [go.driver],
      env,
      name: 'gx1',
      driverName: 'goexample',
      config: {accessKey: 'ak-1', region: 'us-west-2', nodeCount: 2, diskSizeGb: 20},
      updateConfig: {nodeCount: 4},
      failConfig: {accessKey: 'ak-1', region: 'mars-1'},
    })
    assert.equal(code, 0, stderr)

    // Then create, post-check, version, size, update and remove answer as the driver means them
    assert.equal(report.create.error, undefined, JSON.stringify(report.create))
    const state = JSON.parse(report.create.ok.metadata.state)
    assert.equal(report.postCheck.ok.service_account_token, `sa-token-${state['cluster-id']}`)
    assert.equal(report.version.ok.version, '1.29.1')
    assert.equal(report.nodeCount.ok.count, '2')
    assert.equal(report.update.ok.node_count, '4')
    assert.deepEqual(report.remove, {ok: {}, unrecognized: []})
    assert.deepEqual(goCloud(dir), {}, 'Remove deleted the cloud cluster')
    // and a driver error comes back as UNKNOWN with the driver's own text
    assert.deepEqual(report.failCreate.error, {
      code: 'Unknown',
      message: 'region "mars-1" is not offered by the fake cloud (offered: [us-east-1 us-west-2 eu-west-1])',
    })
    assertNoUnknownFields(report)

    // and the driver received Rancher's camelCase keys (no kebab spelling), name, displayName and log-id
    const create = readRecords(env.GO_DRIVER_RECORD).find((r) => r.method === 'Create')!
    const options = create.request.driver_options
    assert.equal(options.string_options.accessKey, 'ak-1')
    assert.equal(options.int_options.diskSizeGb, '20')
    assert.equal(options.string_options.name, 'gx1')
    assert.equal(options.string_options.displayName, 'gx1')
    assert.equal(options.string_options.driverName, 'goexample')
    assert.deepEqual(keysOf(options).filter((k) => k.includes('-')), [])
    assert.equal(create.logId, 'go-host-gx1')
  })

  it('go host › runs the sample driver unchanged: camelCase options, ClusterInfo and metadata round trip, refused options as INVALID_ARGUMENT', async () => {
    // Given the built sample driver, started as Rancher starts a driver binary
    assert.ok(existsSync(SAMPLE_MAIN), `${SAMPLE_MAIN} is missing: run \`npm run build\` first`)
    const sampleHome = join(home, 'sample-a')
    const cloud = join(sampleHome, 'sample-cloud')
    const {code, report, stderr} = await runGoHost(go.host, {
      command: [process.execPath, SAMPLE_MAIN],
      env: {KE_SAMPLE_CLOUD: cloud},
      name: 'rancher-sample',
      driverName: 'sample',
      config: {region: 'sample-west-2', nodeCount: 2, diskSizeGb: 40, enableLogging: false, private: true, labels: ['team=ke'], apiKey: 'sk-123'},
      updateConfig: {nodeCount: 4},
      failConfig: {nodeCount: 0},
    })
    assert.equal(code, 0, stderr)

    // Then Rancher's schema sees the declared options with their types and defaults
    const flags = report.createOptions.ok.options
    assert.equal(flags['node-count'].type, 'int')
    assert.equal(flags['node-count'].default.defaultInt, '3')
    assert.equal(flags['disk-size-gb'].type, 'intPtr')
    assert.equal(flags['api-key'].password, true)
    assert.equal(report.schemaError, undefined)
    assert.equal(report.schema.apiKey.type, 'password')
    assert.equal(report.schema.nodeCount.default, 3)
    assert.equal(report.schema.region.default, 'sample-east-1')
    assert.deepEqual(keysOf(report.sent).filter((k) => k.includes('-')), [], 'the host sent camelCase keys only')

    // and the create read the camelCase keys (node count 2, not the default 3)
    assert.equal(report.create.error, undefined, JSON.stringify(report.create))
    const created = report.create.ok
    assert.equal(created.create_error, '')
    assert.equal(created.node_count, '2')
    const state = JSON.parse(created.metadata.state)
    assert.equal(state.region, 'sample-west-2')

    // and PostCheck got the created info back and kept its metadata
    const checked = report.postCheck.ok
    assert.deepEqual(checked.metadata, created.metadata)
    assert.match(checked.service_account_token, /^sample-token-/)
    assert.match(checked.endpoint, /sample-west-2/)
    assert.match(Buffer.from(checked.root_ca_certificate, 'base64').toString(), /BEGIN CERTIFICATE/)
    assert.equal(report.capabilities.ok.capabilities['0'], true)
    assert.equal(report.version.ok.version, 'v1.30.2')
    assert.equal(report.nodeCount.ok.count, '2')
    assert.equal(report.update.ok.node_count, '4')
    assert.deepEqual(report.update.ok.metadata, created.metadata)
    assert.deepEqual(report.remove, {ok: {}, unrecognized: []})

    // and the driver saw the stored info on every later call, and removed its cluster
    const requests = sampleRequests(sampleHome)
    const received = (method: string) => requests.filter((r) => r.method === method)
    assert.equal(received('Create')[0].request.options.intOptions.nodeCount, 2)
    assert.equal(received('Create')[0].request.options.stringOptions.name, 'rancher-sample')
    for (const method of ['PostCheck', 'GetVersion', 'GetNodeCount', 'Update', 'Remove']) {
      assert.equal(received(method).length, 1, `${method} was called once`)
      assert.deepEqual(received(method)[0].request.info.metadata, created.metadata, `${method} got the stored metadata`)
    }
    assert.deepEqual(readdirSync(join(cloud, 'clusters')), [], 'Remove deleted the sample cluster')

    // and an option it refuses (the SDK's UsageError) arrives as INVALID_ARGUMENT carrying the driver's text
    assert.deepEqual(report.failCreate.error, {code: 'InvalidArgument', message: 'node-count must be at least 1, got 0'})
    assertNoUnknownFields(report)
  })

  it('go host › gets the sample driver\'s failed create as a ClusterInfo with create_error and its state, and can remove it', async () => {
    // Given the sample driver told to fail after making its resources
    assert.ok(existsSync(SAMPLE_MAIN), `${SAMPLE_MAIN} is missing: run \`npm run build\` first`)
    const cloud = join(home, 'sample-b')
    const {code, report, stderr} = await runGoHost(go.host, {
      command: [process.execPath, SAMPLE_MAIN],
      env: {KE_SAMPLE_CLOUD: cloud},
      name: 'rancher-failing',
      driverName: 'sample',
      config: {failAfterCreate: true},
    })
    assert.equal(code, 0, stderr)

    // Then Create answered with a ClusterInfo (not a gRPC error) whose create_error says why
    assert.equal(report.create.error, undefined, JSON.stringify(report.create))
    assert.match(report.create.ok.create_error, /simulated failure after creating c-[0-9a-f]+/)
    const state = JSON.parse(report.create.ok.metadata.state)
    assert.match(state.clusterId, /^c-[0-9a-f]+$/)
    // and Remove with that info found and deleted the resources
    assert.deepEqual(report.remove, {ok: {}, unrecognized: []})
    assert.deepEqual(readdirSync(join(cloud, 'clusters')), [])
    assertNoUnknownFields(report)
  })

  it('go host › runs an SDK driver unchanged: both key spellings, every ClusterInfo field, int64 and error text survive', async () => {
    // Given a small SDK driver that echoes what it reads, and a config using both key spellings
    const {code, report, stderr} = await runGoHost(go.host, {
      command: [process.execPath, '--import', 'tsx', ECHO_DRIVER],
      name: 'echo-1',
      driverName: 'echo',
      config: {diskSizeGb: 50, 'enable-alpha': true, nodeCount: 2 ** 40, apiKey: 's3cret', zones: ['z-a', 'z-b']},
      updateConfig: {nodeCount: 7},
      failConfig: {failWith: 'quota exceeded: 0 of 5 vCPUs left in zone „z-1“ (ü)'},
    })
    assert.equal(code, 0, stderr)

    // Then the SDK read every option by its declared name, whichever spelling arrived
    assert.equal(report.create.error, undefined, JSON.stringify(report.create))
    const created = report.create.ok
    const state = JSON.parse(created.metadata.state)
    assert.deepEqual(state.read, {
      name: 'echo-1',
      displayName: 'echo-1',
      region: 'echo-1',
      nodeCount: 2 ** 40,
      diskSizeGb: 50,
      enableAlpha: true,
      privateNodes: false,
      zones: ['z-a', 'z-b'],
      apiKeyLength: 6,
    })

    // and every ClusterInfo field came back as the driver set it, int64 beyond 32 bits included
    const expected = {
      version: '1.30.2-echo',
      service_account_token: '',
      endpoint: 'https://echo.invalid:6443',
      username: 'echo-user',
      password: 'echo-password',
      root_ca_certificate: b64('echo root ca'),
      client_certificate: b64('echo client certificate'),
      client_key: b64('echo client key'),
      node_count: String(2 ** 40),
      metadata: {state: created.metadata.state, 'echo/kept': 'yes'},
      status: 'echo-created',
      create_error: '',
    }
    assert.deepEqual(created, expected)

    // and PostCheck received exactly that info (as the SDK decoded it) and kept the metadata
    const checked = report.postCheck.ok
    assert.equal(checked.service_account_token, 'echo-token-yes')
    assert.deepEqual(JSON.parse(checked.metadata.seen), {
      version: expected.version,
      serviceAccountToken: '',
      endpoint: expected.endpoint,
      username: expected.username,
      password: expected.password,
      rootCaCertificate: expected.root_ca_certificate,
      clientCertificate: expected.client_certificate,
      clientKey: expected.client_key,
      nodeCount: 2 ** 40,
      metadata: expected.metadata,
      status: expected.status,
      createError: '',
    })
    assert.equal(report.version.ok.version, '1.30.2-echo')
    assert.equal(report.nodeCount.ok.count, String(2 ** 40))
    // and capabilities name exactly the methods the driver has (0 GetVersion, 2 GetClusterSize)
    const caps = report.capabilities.ok.capabilities
    assert.deepEqual(Object.keys(caps).filter((k) => caps[k]).sort(), ['0', '2'])
    // and Update read the camelCase update option, Remove got the metadata back (the driver checks)
    assert.equal(report.update.ok.node_count, '7')
    assert.deepEqual(report.remove, {ok: {}, unrecognized: []})
    // and a thrown Error reaches grpc-go as UNKNOWN with its exact text
    assert.deepEqual(report.failCreate.error, {code: 'Unknown', message: 'quota exceeded: 0 of 5 vCPUs left in zone „z-1“ (ü)'})
    assertNoUnknownFields(report)
  })
})

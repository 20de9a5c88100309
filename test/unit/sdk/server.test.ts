// serveDriver() in-process, called over real gRPC with the host's own client (the one `ke` uses), so
// each test checks what a host sees: errors, capabilities and the create_error convention.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GrpcClusterDriver} from '../../../src/driver/rpc/client.js'
import {DriverLog} from '../../../src/driver/run/driver-log.js'
import {attachedDriver} from '../../../src/driver/run/launch.js'
import {canConnect, pickFreePort} from '../../../src/driver/run/ports.js'
import {emptyClusterInfo, emptyDriverOptions, type ClusterInfo, type DriverOptions} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'
import {Redactor} from '../../../src/redact.js'
import {CreateFailedError, defineOptions, option, saveState, serveDriver, type Driver, type ServingDriver} from '../../../src/sdk/index.js'

// quotes, a colon, non-ASCII and a second line: all must reach the host unchanged
const DRIVER_ERROR = 'quota "cpus" exceeded in région eu-west: 24 > 20\nrequest id 7f3a'

const PARTIAL_INFO: ClusterInfo = {...emptyClusterInfo(), endpoint: 'https://10.0.0.7', metadata: {state: '{"vms":["vm-1","vm-2"]}'}}

/** Create's behaviour is chosen by the `mode` option, so one driver serves several tests. */
function failingDriver(seen: {createInfo: Array<ClusterInfo | undefined>}): Driver {
  return {
    getDriverCreateOptions: () =>
      defineOptions({mode: option.string('what create does'), region: option.string('region', {default: 'r1'}), 'disk-size-gb': option.intPtr('disk size')}),
    async create(info, options) {
      seen.createInfo.push(info)
      if (options.string('mode') === 'throw') throw new Error(DRIVER_ERROR)
      if (options.string('mode') === 'partial') throw new CreateFailedError('VM quota reached after 2 of 3 nodes', PARTIAL_INFO)
      return saveState(info, {created: true})
    },
    update: async (info) => info,
    postCheck: async (info) => info,
    remove: async () => {},
    getVersion: async () => '1.30.2',
    getNodeCount: async () => 3,
  }
}

/** Only the required methods: every optional one falls back to the SDK's default. */
const minimalDriver: Driver = {
  getDriverCreateOptions: () => defineOptions({}),
  create: async () => emptyClusterInfo(),
  update: async (info) => info,
  postCheck: async (info) => info,
  remove: async () => {},
}

function optionsWith(stringOptions: Record<string, string>): DriverOptions {
  return {...emptyDriverOptions(), stringOptions}
}

interface Served {
  address: string
  port: number
  host: GrpcClusterDriver
  serving: ServingDriver
}

async function serve(driver: Driver): Promise<Served> {
  const port = await pickFreePort()
  const serving = await serveDriver(driver, {argv: ['node', 'x', String(port)], exitWithParent: false})
  assert.ok(serving, 'serveDriver returned no server')
  const address = `127.0.0.1:${port}`
  const host = await GrpcClusterDriver.connect(attachedDriver(address, new DriverLog('x', new Redactor())))
  return {address, port, host, serving}
}

function isKeError(code: string, message: RegExp | string) {
  return (error: unknown) => {
    assert.ok(error instanceof KeError, `expected a KeError, got ${String(error)}`)
    assert.equal(error.keCode, code)
    if (typeof message === 'string') assert.equal(error.message, message)
    else assert.match(error.message, message)
    return true
  }
}

const seen = {createInfo: [] as Array<ClusterInfo | undefined>}
let failing: Served
let minimal: Served

before(async () => {
  failing = await serve(failingDriver(seen))
  minimal = await serve(minimalDriver)
})

after(async () => {
  for (const served of [failing, minimal]) {
    if (!served) continue
    await served.host.stop()
    await served.serving.stop()
  }
})

describe('sdk server › errors', () => {
  it('passes a thrown Error to the host as DRIVER_CALL_FAILED carrying its message verbatim', async () => {
    // Given a create that throws a plain Error
    // When the host calls Create
    // Then the host's error is a call failure whose message ends with the driver's text unchanged
    await assert.rejects(
      failing.host.create(optionsWith({mode: 'throw'}), undefined),
      isKeError('DRIVER_CALL_FAILED', `driver ${failing.address} failed Create: ${DRIVER_ERROR}`),
    )
  })

  it('answers a CreateFailedError with the info and create_error set, not with a gRPC error', async () => {
    // Given a create that fails after making resources
    // When the host calls Create
    const info = await failing.host.create(optionsWith({mode: 'partial'}), undefined)

    // Then it resolves with the partial info kept and createError set
    assert.equal(info.createError, 'VM quota reached after 2 of 3 nodes')
    assert.equal(info.endpoint, PARTIAL_INFO.endpoint)
    assert.deepEqual(info.metadata, PARTIAL_INFO.metadata)
  })

  it('answers GetVersion with DRIVER_UNSUPPORTED when the driver leaves getVersion out', async () => {
    // Given a driver without getVersion
    // When the host asks for the version
    // Then it learns the driver does not implement it
    await assert.rejects(minimal.host.getVersion(emptyClusterInfo()), isKeError('DRIVER_UNSUPPORTED', /does not implement GetVersion$/))
  })

  it('answers GetNodeCount with DRIVER_UNSUPPORTED when the driver leaves getNodeCount out', async () => {
    // Given a driver without getNodeCount
    // When the host asks for the node count
    // Then it learns the driver does not implement it
    await assert.rejects(minimal.host.getNodeCount(emptyClusterInfo()), isKeError('DRIVER_UNSUPPORTED', /does not implement GetNodeCount$/))
  })

  it('answers SetVersion with success when the driver leaves setVersion out, as Go drivers return Empty', async () => {
    // Given a driver without setVersion
    // When the host sets a version
    // Then the call succeeds
    await assert.doesNotReject(minimal.host.setVersion(emptyClusterInfo(), '1.31.0'))
  })

  it('answers the etcd calls with DRIVER_UNSUPPORTED when the driver leaves them out', async () => {
    // Given a driver without etcd methods
    // When the host saves a snapshot
    // Then it learns the driver does not implement ETCDSave
    await assert.rejects(
      minimal.host.etcdSave(emptyClusterInfo(), emptyDriverOptions(), 'snap-1'),
      isKeError('DRIVER_UNSUPPORTED', /does not implement ETCDSave$/),
    )
  })
})

describe('sdk server › answers', () => {
  it('serves the implemented optional methods', async () => {
    // Given a driver with getVersion and getNodeCount
    // When the host calls them
    // Then it receives their values
    assert.equal(await failing.host.getVersion(emptyClusterInfo()), '1.30.2')
    assert.equal(await failing.host.getNodeCount(emptyClusterInfo()), 3)
  })

  it('derives capabilities from the methods the driver implements', async () => {
    // Given a driver with getVersion and getNodeCount only
    // When the host asks for capabilities
    const caps = await failing.host.getCapabilities()

    // Then exactly those two are on
    assert.deepEqual(caps, {getVersion: true, setVersion: false, getClusterSize: true, setClusterSize: false, etcdBackup: false})
  })

  it('reports no capabilities for a driver with only the required methods', async () => {
    // When the host asks the minimal driver for capabilities
    const caps = await minimal.host.getCapabilities()

    // Then all are off
    assert.deepEqual(caps, {getVersion: false, setVersion: false, getClusterSize: false, setClusterSize: false, etcdBackup: false})
  })

  it('hands create undefined info on a first create', async () => {
    // Given the host sends an empty ClusterInfo, as on every first create
    seen.createInfo.length = 0

    // When the host calls Create
    await failing.host.create(optionsWith({mode: 'ok'}), undefined)

    // Then the driver's create received no info
    assert.deepEqual(seen.createInfo, [undefined])
  })

  it('hands create the stored info when the host retries a create', async () => {
    // Given the host retries with the info a failed create left
    seen.createInfo.length = 0

    // When the host calls Create with it
    await failing.host.create(optionsWith({mode: 'ok'}), PARTIAL_INFO)

    // Then the driver's create received that info
    assert.equal(seen.createInfo[0]?.endpoint, PARTIAL_INFO.endpoint)
    assert.deepEqual(seen.createInfo[0]?.metadata, PARTIAL_INFO.metadata)
  })

  it('declares options with typed defaults and no default message where none was given', async () => {
    // When the host reads the create options
    const flags = await failing.host.getCreateOptions()

    // Then region has its default, and the two options without one arrive without a default message
    assert.equal(flags.region.default?.defaultString, 'r1')
    assert.equal(flags.mode.default, undefined)
    assert.equal(flags['disk-size-gb'].default, undefined)
  })
})

describe('sdk server › listening', () => {
  it('listens on 127.0.0.1 only: another loopback address at the same port refuses connections', async () => {
    // Given a served driver
    // When a client connects at 127.0.0.1 and at 127.0.0.2 on its port
    const onLoopback = await canConnect(failing.port, '127.0.0.1')
    const onOther = await canConnect(failing.port, '127.0.0.2')

    // Then only 127.0.0.1 accepts
    assert.deepEqual({onLoopback, onOther}, {onLoopback: true, onOther: false})
  })

  it('without a port prints one usage line, sets exit code 2 and serves nothing', async () => {
    // Given argv without a port, and stderr captured
    const previousExitCode = process.exitCode
    const written: string[] = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stderr.write
    let result: ServingDriver | undefined
    let exitCode: typeof process.exitCode
    try {
      // When serveDriver runs
      result = await serveDriver(minimalDriver, {argv: ['node', '/opt/drivers/kontainer-engine-driver-demo'], exitWithParent: false, exitOnUsage: false})
      exitCode = process.exitCode
    } finally {
      process.stderr.write = write
      process.exitCode = previousExitCode
    }

    // Then nothing is served, the exit code is 2, and one line says what the program is
    assert.equal(result, undefined)
    assert.equal(exitCode, 2)
    assert.equal(written.join(''), written.join('').split('\n')[0] + '\n')
    assert.match(written.join(''), /^kontainer-engine-driver-demo is a Kubernetes cluster driver .*`kontainer-engine-driver-demo PORT`/)
  })

  it('treats an argument that is not a port number like a missing port', async () => {
    // Given argv whose first argument is not a port
    const previousExitCode = process.exitCode
    const write = process.stderr.write
    process.stderr.write = (() => true) as typeof process.stderr.write
    let result: ServingDriver | undefined
    let exitCode: typeof process.exitCode
    try {
      // When serveDriver runs
      result = await serveDriver(minimalDriver, {argv: ['node', 'x', '--help'], exitWithParent: false, exitOnUsage: false})
      exitCode = process.exitCode
    } finally {
      process.stderr.write = write
      process.exitCode = previousExitCode
    }

    // Then nothing is served and the exit code is 2
    assert.deepEqual({result, exitCode}, {result: undefined, exitCode: 2})
  })
})

// create(info, options): the cluster's info first, as in every other SDK method. Checked in process over
// real gRPC with the host's own client (the one `ke` uses). A JavaScript driver still written the old
// way, create(options, info), is told the new order instead of failing with a bare TypeError.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GrpcClusterDriver} from '../../../src/driver/rpc/client.js'
import {DriverLog} from '../../../src/driver/run/driver-log.js'
import {attachedDriver} from '../../../src/driver/run/launch.js'
import {pickFreePort} from '../../../src/driver/run/ports.js'
import {emptyClusterInfo, emptyDriverOptions, type ClusterInfo, type DriverOptions} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'
import {Redactor} from '../../../src/redact.js'
import {defineOptions, loadState, option, saveState, serveDriver, type Driver, type Options, type ServingDriver} from '../../../src/sdk/index.js'

const STORED: ClusterInfo = {...saveState(undefined, {id: 'c-7'}), endpoint: 'https://stored.invalid', createError: 'quota reached'}

function withRegion(region: string): DriverOptions {
  return {...emptyDriverOptions(), stringOptions: {region}}
}

/** A create as a JavaScript author wrote it for the older SDK: (options, info), typed loosely as JS is. */
type OldOrderCreate = (options: any, info: any) => Promise<ClusterInfo>

function driverWith(create: Driver['create'] | OldOrderCreate): Driver {
  return {
    getDriverCreateOptions: () => defineOptions({region: option.string('region')}),
    create: create as Driver['create'],
    postCheck: async (info) => info,
    remove: async () => {},
  }
}

interface Served {
  host: GrpcClusterDriver
  serving: ServingDriver
}

const running: Served[] = []

async function serve(driver: Driver): Promise<GrpcClusterDriver> {
  const port = await pickFreePort()
  const serving = (await serveDriver(driver, {argv: ['node', 'x', String(port)], exitWithParent: false}))!
  const host = await GrpcClusterDriver.connect(attachedDriver(`127.0.0.1:${port}`, new DriverLog('x', new Redactor())))
  running.push({host, serving})
  return host
}

after(async () => {
  for (const {host, serving} of running) {
    await host.stop()
    await serving.stop()
  }
})

/** What the SDK writes to stderr (its log) while `action` runs: the driver is served in this process. */
async function stderrDuring<T>(action: () => Promise<T>): Promise<{result: T; stderr: string}> {
  const write = process.stderr.write
  let stderr = ''
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  }) as typeof process.stderr.write
  try {
    return {result: await action(), stderr}
  } finally {
    process.stderr.write = write
  }
}

function failsNamingTheNewOrder(driverError: string) {
  return (error: unknown) => {
    assert.ok(error instanceof KeError, `expected a KeError, got ${String(error)}`)
    assert.ok(error.message.includes(driverError), `the driver's own error is kept: ${error.message}`)
    assert.match(error.message, /the SDK calls create\(info, options\) since 0\.1\.0, info first like every other method/)
    return true
  }
}

describe('SDK › create takes the info first', () => {
  const calls: Array<{info: ClusterInfo | undefined; region: string}> = []
  let host: GrpcClusterDriver
  before(async () => {
    host = await serve(
      driverWith(async (info: ClusterInfo | undefined, options: Options) => {
        calls.push({info, region: options.string('region')})
        return {...saveState(info, {id: 'c-7'}), endpoint: 'https://made.invalid'}
      }),
    )
  })

  it('a retried create gets the stored info as its first argument and the options as its second', async () => {
    calls.length = 0
    await host.create(withRegion('eu-west-9'), STORED)
    assert.equal(calls.length, 1)
    assert.deepEqual(calls[0].info, STORED)
    assert.equal(calls[0].region, 'eu-west-9')
  })

  it('a first create gets undefined as its first argument and the options as its second', async () => {
    calls.length = 0
    await host.create(withRegion('r1'), undefined)
    assert.deepEqual(calls, [{info: undefined, region: 'r1'}])
  })
})

describe('SDK › a JavaScript create still written (options, info)', () => {
  const oldOrder: OldOrderCreate = async (options, info) => ({...saveState(info, {zone: options.string('region')}), endpoint: 'https://old.invalid'})

  it('fails a first create with its own error followed by the new order', async () => {
    const host = await serve(driverWith(oldOrder))
    const {result} = await stderrDuring(() => host.create(withRegion('r1'), undefined).catch((error: unknown) => error))
    failsNamingTheNewOrder("Cannot read properties of undefined (reading 'string')")(result)
  })

  it('fails a retried create (its `options` is then the stored info) naming the new order', async () => {
    const host = await serve(driverWith(oldOrder))
    const {result} = await stderrDuring(() => host.create(withRegion('r1'), STORED).catch((error: unknown) => error))
    failsNamingTheNewOrder('options.string is not a function')(result)
  })

  it('warns when it built its reply on the options it took for the info, and the create still succeeds', async () => {
    const host = await serve(driverWith(async (_options: unknown, info: any) => ({...saveState(info, {id: 'c-9'}), endpoint: 'https://old.invalid'})))
    const {result, stderr} = await stderrDuring(() => host.create(withRegion('r1'), undefined))
    assert.equal(result.endpoint, 'https://old.invalid')
    assert.match(stderr, /level=warning msg="create returned its options as the cluster's info: the SDK calls create\(info, options\) since 0\.1\.0/)
  })
})

describe('SDK › errors of a create written in the new order', () => {
  it('keeps a TypeError about something other than the options unchanged', async () => {
    const host = await serve(
      driverWith(async (info) => ({...emptyClusterInfo(), endpoint: loadState<{zones: string[]}>(info)!.zones[0]})),
    )
    const {result} = await stderrDuring(() => host.create(withRegion('r1'), undefined).catch((error: unknown) => error))
    assert.ok(result instanceof KeError, `expected a KeError, got ${String(result)}`)
    assert.match(result.message, /Cannot read properties of undefined \(reading 'zones'\)$/)
  })

  it('does not warn about a reply built on the info', async () => {
    const host = await serve(driverWith(async (info, options) => ({...saveState(info, {zone: options.string('region')}), endpoint: 'https://new.invalid'})))
    const {stderr} = await stderrDuring(() => host.create(withRegion('r1'), STORED))
    assert.doesNotMatch(stderr, /level=warning/)
  })
})

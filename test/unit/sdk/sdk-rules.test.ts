// The SDK's rules for driver authors, checked in process over real gRPC with the host's own client:
// a retried create ends its old createError, setters may hand back info for the host to store, one
// argument order (info first) with the older CreateFailedError order still accepted, and KubeConfig
// offered beside the helpers that take it.
import assert from 'node:assert/strict'
import {KubeConfig as ClientNodeKubeConfig} from '@kubernetes/client-node'
import {after, before, describe, it} from 'node:test'
import {GrpcClusterDriver} from '../../../src/driver/rpc/client.js'
import {DriverLog} from '../../../src/driver/run/driver-log.js'
import {attachedDriver} from '../../../src/driver/run/launch.js'
import {pickFreePort} from '../../../src/driver/run/ports.js'
import {loadProto} from '../../../src/protocol/proto.js'
import {toWireInfo} from '../../../src/protocol/wire.js'
import {emptyClusterInfo, emptyDriverOptions, type ClusterInfo} from '../../../src/protocol/types.js'
import {Redactor} from '../../../src/redact.js'
import {KubeConfig} from '../../../src/sdk/kube-config.js'
import {CreateFailedError, defineOptions, failedCreate, loadState, saveState, serveDriver, type Driver, type ServingDriver} from '../../../src/sdk/index.js'

const STALE = 'quota reached'

/** Create's answer is picked by the stored state's `mode`, so one driver serves every case. */
const driver: Driver = {
  getDriverCreateOptions: () => defineOptions({}),
  async create(info) {
    const mode = loadState<{mode: string}>(info)?.mode
    if (mode === 'fail-again') return failedCreate(info!, STALE)
    if (mode === 'new-error') return {...info!, createError: 'another failure'}
    return {...info!, endpoint: 'https://made.invalid'}
  },
  update: async (info) => info,
  postCheck: async (info) => info,
  remove: async () => {},
  getNodeCount: async (info) => loadState<{nodes: number}>(info)?.nodes ?? 0,
  setNodeCount: async (info, count) => saveState(info, {nodes: count}),
  setVersion: async () => {},
}

let serving: ServingDriver
let host: GrpcClusterDriver

before(async () => {
  const port = await pickFreePort()
  serving = (await serveDriver(driver, {argv: ['node', 'x', String(port)], exitWithParent: false}))!
  host = await GrpcClusterDriver.connect(attachedDriver(`127.0.0.1:${port}`, new DriverLog('x', new Redactor())))
})

after(async () => {
  await host.stop()
  await serving.stop()
})

function storedFailure(mode: string): ClusterInfo {
  return {...saveState(undefined, {mode}), createError: STALE}
}

describe('SDK › create retried after a failure', () => {
  it('clears the createError carried over from the stored info when create returns', async () => {
    const info = await host.create(emptyDriverOptions(), storedFailure('succeed'))
    assert.equal(info.createError, '')
    assert.equal(info.endpoint, 'https://made.invalid')
  })

  it('keeps a createError the driver made with failedCreate, even the same message again', async () => {
    assert.equal((await host.create(emptyDriverOptions(), storedFailure('fail-again'))).createError, STALE)
  })

  it('keeps a createError the driver set to a new message', async () => {
    assert.equal((await host.create(emptyDriverOptions(), storedFailure('new-error'))).createError, 'another failure')
  })
})

describe('SDK › setters hand back info', () => {
  it('setNodeCount returning info reaches the host, which can store it', async () => {
    const changed = await host.setNodeCount(saveState(undefined, {nodes: 1}), 4)
    assert.ok(changed, 'the host got no info back')
    assert.equal(await host.getNodeCount(changed), 4)
  })

  it('a host that reads the reply as the proto\'s Empty (as Rancher does) still gets a plain success', async () => {
    const {grpc, Driver: Client} = await loadProto()
    const client = new Client(`127.0.0.1:${serving.port}`, grpc.credentials.createInsecure())
    const request = {info: toWireInfo(saveState(undefined, {nodes: 1})), count: {count: 4}}
    const reply = await new Promise((resolve, reject) =>
      (client as unknown as Record<string, Function>).SetNodeCount(request, (error: Error | null, value: unknown) => (error ? reject(error) : resolve(value))),
    )
    client.close()
    assert.deepEqual(reply, {})
  })

  it('a setter returning nothing reaches the host as no info, as an Empty reply does', async () => {
    assert.equal(await host.setVersion(emptyClusterInfo(), 'v1.31.0'), undefined)
  })
})

describe('SDK › one argument order: info first', () => {
  const info = {...emptyClusterInfo(), endpoint: 'https://partial.invalid'}

  it('new CreateFailedError(info, message)', () => {
    const error = new CreateFailedError(info, 'half made')
    assert.equal(error.message, 'half made')
    assert.equal(error.info, info)
  })

  it('still accepts the older new CreateFailedError(message, info)', () => {
    const error = new CreateFailedError('half made', info)
    assert.equal(error.message, 'half made')
    assert.equal(error.info, info)
  })
})

describe('SDK › KubeConfig', () => {
  it('ke/sdk/kube offers client-node\'s KubeConfig, what generateServiceAccountToken takes', () => {
    assert.equal(KubeConfig, ClientNodeKubeConfig)
  })
})

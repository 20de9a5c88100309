// Health and reflection load on their first call (src/sdk/lazy-services.ts). Whichever call comes
// first to a fresh driver, it is answered by the real service, streams included.
import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {describe, it} from 'node:test'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import {HealthImplementation} from 'grpc-health-check'
import {ReflectionService} from '@grpc/reflection'
import {pickFreePort} from '../../../src/driver/run/ports.js'
import {loadProto} from '../../../src/protocol/proto.js'
import {HEALTH_METHODS, REFLECTION_METHODS} from '../../../src/sdk/server.js'
import {defineOptions, emptyClusterInfo, serveDriver, type Driver} from '../../../src/sdk/index.js'

const require = createRequire(import.meta.url)

const driver: Driver = {
  getDriverCreateOptions: () => defineOptions({}),
  create: async () => emptyClusterInfo(),
  update: async (info) => info,
  postCheck: async (info) => info,
  remove: async () => {},
}

function load(file: string): any {
  return grpc.loadPackageDefinition(protoLoader.loadSync(require.resolve(file), {enums: String}))
}

/** Paths and types a service adds to a server, as grpc-js registers them. */
function registered(add: (server: grpc.Server) => void): Array<{path: string; type: string}> {
  const seen: Array<{path: string; type: string}> = []
  const server = {
    addService(service: grpc.ServiceDefinition) {
      for (const method of Object.values(service)) {
        const type = method.requestStream ? (method.responseStream ? 'bidi' : 'clientStream') : method.responseStream ? 'serverStream' : 'unary'
        seen.push({path: method.path, type})
      }
    },
  }
  add(server as unknown as grpc.Server)
  return seen
}

async function freshDriver(): Promise<{address: string; stop: () => Promise<void>}> {
  const port = await pickFreePort()
  const serving = await serveDriver(driver, {argv: ['node', 'x', String(port)], exitWithParent: false})
  assert.ok(serving)
  return {address: `127.0.0.1:${port}`, stop: serving.stop}
}

describe('SDK server › health and reflection loaded on first use', () => {
  it('registers before binding exactly the methods the two packages add', async () => {
    const {packageDefinition} = await loadProto()
    const health = registered((server) => new HealthImplementation({}).addToServer(server))
    const reflection = registered((server) => new ReflectionService(packageDefinition as never).addToServer(server))
    assert.deepEqual(health.sort((a, b) => a.path.localeCompare(b.path)), [...HEALTH_METHODS].sort((a, b) => a.path.localeCompare(b.path)))
    assert.deepEqual(reflection.sort((a, b) => a.path.localeCompare(b.path)), [...REFLECTION_METHODS].sort((a, b) => a.path.localeCompare(b.path)))
  })

  it('answers reflection as the very first call, over a stream', async () => {
    const {address, stop} = await freshDriver()
    const Reflection = load('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto').grpc.reflection.v1.ServerReflection
    const client = new Reflection(address, grpc.credentials.createInsecure())
    const call = client.ServerReflectionInfo()
    const replies: any[] = []
    const ended = new Promise((resolve, reject) => call.on('data', (reply: unknown) => replies.push(reply)).on('end', resolve).on('error', reject))
    call.write({listServices: '*'})
    call.write({fileContainingSymbol: 'types.Driver'})
    call.end()
    await ended
    client.close()
    await stop()
    assert.deepEqual(replies[0].listServicesResponse.service.map((s: {name: string}) => s.name), ['types.Driver'])
    assert.equal(replies[1].fileDescriptorResponse.fileDescriptorProto.length, 1)
  })

  it('answers a health Watch as the very first call, and Check after it', async () => {
    const {address, stop} = await freshDriver()
    const Health = load('grpc-health-check/proto/health/v1/health.proto').grpc.health.v1.Health
    const client = new Health(address, grpc.credentials.createInsecure())
    const watch = client.Watch({service: 'types.Driver'})
    const first = await new Promise<any>((resolve, reject) => watch.once('data', resolve).once('error', reject))
    watch.cancel()
    watch.on('error', () => {})
    const check = await new Promise<any>((resolve, reject) => client.Check({service: ''}, (error: Error | null, reply: unknown) => (error ? reject(error) : resolve(reply))))
    const unknown = await new Promise<any>((resolve) => client.Check({service: 'nope'}, (error: grpc.ServiceError | null) => resolve(error)))
    client.close()
    await stop()
    assert.equal(first.status, 'SERVING')
    assert.equal(check.status, 'SERVING')
    assert.equal(unknown.code, grpc.status.NOT_FOUND)
  })
})

// grpc-js and protobufjs come from a CommonJS file with V8's code cache beside it in ke's own bundles
// (the build makes both, src/protocol/grpc-modules.ts loads them): the whole of grpc-js for a driver's
// server, its client half for ke's own client. The cache the build made is one this Node takes, a cache
// it does not take costs time only, and everywhere else (ke's sources, tsc's output that the SDK is used
// from) they are the ones node_modules resolves to.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {isIPv6} from 'node:net'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {describe, it} from 'node:test'
import {loadGrpcModules, VENDOR_FILES, type GrpcClientApi, type GrpcModules, type GrpcSide} from '../../../src/protocol/grpc-modules.js'
import {codeCacheFileOf, runWithCodeCache} from '../../../src/os/code-cache.js'
import {ROOT} from '../../support/ke.js'

const VENDOR = join(ROOT, 'dist', 'b', 'vendor')
const SIDES: GrpcSide[] = ['client', 'server']
const fileOf = (side: GrpcSide) => join(VENDOR, VENDOR_FILES[side])
const cacheOf = (side: GrpcSide) => codeCacheFileOf(fileOf(side))

/** What driver-service.ts needs of them: a client constructor, and a Root from JSON that encodes. */
function assertUsable({grpc, protobuf}: GrpcModules<GrpcClientApi>): void {
  assert.equal(typeof grpc.makeGenericClientConstructor, 'function')
  assert.equal(typeof grpc.credentials.createInsecure, 'function')
  const root = protobuf.Root.fromJSON({nested: {t: {nested: {M: {fields: {name: {type: 'string', id: 1}}}}}}})
  const type = root.lookupType('t.M')
  assert.deepEqual(type.toObject(type.decode(type.encode(type.fromObject({name: 'x'})).finish())), {name: 'x'})
}

/** One unary method that echoes bytes, for a server and a client made here. */
const ECHO = {path: '/t.Echo/Say', requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b}

describe('grpc-js and protobufjs with a code cache', () => {
  for (const side of SIDES) {
    it(`the build made the ${side}'s file and its cache, and this Node takes the cache`, () => {
      const {exports, script} = runWithCodeCache(fileOf(side), readFileSync(cacheOf(side)))
      assert.equal(script.cachedDataRejected, false)
      assertUsable(exports as GrpcModules<GrpcClientApi>)
    })

    it(`a cache this Node cannot take is passed over: the ${side}'s code is compiled and works`, () => {
      const {exports, script} = runWithCodeCache(fileOf(side), Buffer.from('not a V8 code cache'))
      assert.equal(script.cachedDataRejected, true)
      assertUsable(exports as GrpcModules<GrpcClientApi>)
    })
  }

  it("the client's file leaves grpc-js's server and unused plugins out, and makes calls to a server of the server's file", async () => {
    const client = runWithCodeCache(fileOf('client'), readFileSync(cacheOf('client'))).exports as GrpcModules<GrpcClientApi>
    for (const file of ['server.js', 'resolver-uds.js', 'load-balancer-round-robin.js', 'orca.js']) {
      const path = new RegExp(`grpc-js/build/src/${file.replace('.', '\\.')}`)
      assert.doesNotMatch(readFileSync(fileOf('client'), 'utf8'), path)
      assert.match(readFileSync(fileOf('server'), 'utf8'), path)
    }
    const {grpc} = runWithCodeCache(fileOf('server'), readFileSync(cacheOf('server'))).exports as GrpcModules
    const server = new grpc.Server()
    server.addService({Say: ECHO}, {Say: (call: any, done: any) => done(null, Buffer.from(`heard ${call.request}`))})
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))))
    const Client = client.grpc.makeGenericClientConstructor({Say: ECHO}, 'Echo')
    const echo = new Client(`ipv4:127.0.0.1:${port}`, client.grpc.credentials.createInsecure()) as any
    try {
      const metadata = new client.grpc.Metadata()
      metadata.set('x-test', 'yes')
      const reply = await new Promise<Buffer>((resolve, reject) => echo.Say(Buffer.from('hi'), metadata, {deadline: Date.now() + 20_000}, (error: Error | null, answer: Buffer) => (error ? reject(error) : resolve(answer))))
      assert.equal(reply.toString(), 'heard hi')
      const failure = await new Promise<any>((resolve) => echo.Say(Buffer.from('hi'), {deadline: Date.now() - 1}, (error: Error | null) => resolve(error)))
      assert.equal(failure?.code, client.grpc.status.DEADLINE_EXCEEDED)
    } finally {
      echo.close()
      server.forceShutdown()
    }
  })

  // the build gives grpc-js an isIPv6 that asks Node only of strings with a colon (scripts/bundle.js)
  it('its grpc-js tells IPv6 addresses from the others as Node does, and dials [::1]', async () => {
    for (const side of SIDES) assert.match(readFileSync(fileOf(side), 'utf8'), /\.includes\(":"\)\?!1:\w+\.isIPv6\(/, `the build gave the ${side}'s grpc-js its isIPv6`)
    const {grpc} = runWithCodeCache(fileOf('server'), readFileSync(cacheOf('server'))).exports as GrpcModules
    for (const host of ['127.0.0.1', '::1', '::ffff:127.0.0.1', 'fe80::1', '1:2:3:4:5:6:7:8', 'localhost', '1::2::3', ':', '']) {
      assert.equal(grpc.experimental.subchannelAddressToString({host, port: 5}), isIPv6(host) ? `[${host}]:5` : `${host}:5`, host)
    }
    const server = new grpc.Server()
    server.addService({Say: ECHO}, {Say: (call: any, done: any) => done(null, Buffer.from(`heard ${call.request}`))})
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('[::1]:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))))
    const {grpc: own} = runWithCodeCache(fileOf('client'), readFileSync(cacheOf('client'))).exports as GrpcModules<GrpcClientApi>
    const Client = own.makeGenericClientConstructor({Say: ECHO}, 'Echo')
    // as ke's client dials a driver on ::1 (src/driver/rpc/client.ts)
    const client = new Client(`ipv6:[::1]:${port}`, own.credentials.createInsecure()) as any
    try {
      const reply = await new Promise<Buffer>((resolve, reject) => client.Say(Buffer.from('hi'), {deadline: Date.now() + 20_000}, (error: Error | null, answer: Buffer) => (error ? reject(error) : resolve(answer))))
      assert.equal(reply.toString(), 'heard hi')
    } finally {
      client.close()
      server.forceShutdown()
    }
  })

  // the build gives grpc-js zlib and dns that load on first use (scripts/bundle.js): a fresh Node, as
  // ke's own client, shows when each is loaded; the server is this process's (Node's listen loads dns)
  it('its grpc-js loads zlib only for a compressed message, and dns not for a call to an IP address', async () => {
    const grpc = await import('@grpc/grpc-js')
    const server = new grpc.Server()
    server.addService({Say: ECHO}, {Say: (call: any, done: any) => done(null, Buffer.from(`heard ${call.request.length} bytes`))})
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))))
    const client = `
const {readFileSync} = require('node:fs')
const {runWithCodeCache} = require(${JSON.stringify(join(ROOT, 'dist', 'os', 'code-cache.js'))})
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name)
const vendor = ${JSON.stringify(fileOf('client'))}
const {grpc} = runWithCodeCache(vendor, readFileSync(vendor.replace(/cjs$/, 'cache'))).exports
const echo = ${JSON.stringify({path: '/t.Echo/Say', requestStream: false, responseStream: false})}
Object.assign(echo, {requestSerialize: (b) => b, requestDeserialize: (b) => b, responseSerialize: (b) => b, responseDeserialize: (b) => b})
const Client = grpc.makeGenericClientConstructor({Say: echo}, 'Echo')
const say = (client, text) => new Promise((resolve, reject) => client.Say(Buffer.from(text), {deadline: Date.now() + 20000}, (error, answer) => (error ? reject(error) : resolve(answer.toString()))))
const seen = {atLoad: {zlib: loaded('zlib'), dns: loaded('dns')}}
;(async () => {
  const plain = new Client('ipv4:127.0.0.1:${port}', grpc.credentials.createInsecure())
  seen.plain = await say(plain, 'plain')
  seen.afterPlain = {zlib: loaded('zlib'), dns: loaded('dns')}
  const gzip = new Client('ipv4:127.0.0.1:${port}', grpc.credentials.createInsecure(), {'grpc.default_compression_algorithm': 2})
  seen.gzip = await say(gzip, 'x'.repeat(4096))
  seen.afterGzip = {zlib: loaded('zlib')}
  plain.close()
  gzip.close()
  console.log(JSON.stringify(seen))
})()`
    try {
      const {stdout} = await promisify(execFile)(process.execPath, ['-e', client], {encoding: 'utf8', timeout: 30_000})
      const seen = JSON.parse(stdout)
      assert.deepEqual(seen.atLoad, {zlib: false, dns: false})
      assert.equal(seen.plain, 'heard 5 bytes')
      assert.deepEqual(seen.afterPlain, {zlib: false, dns: false})
      assert.equal(seen.gzip, 'heard 4096 bytes')
      assert.deepEqual(seen.afterGzip, {zlib: true})
    } finally {
      server.forceShutdown()
    }
  })

  it("outside ke's bundles they are node_modules' own: from ke's sources and from tsc's output (what ke/sdk is)", async () => {
    const grpc = await import('@grpc/grpc-js')
    const fromSources = await loadGrpcModules('server')
    assertUsable(fromSources)
    assert.equal(fromSources.grpc.Server, grpc.Server)
    assert.equal((await loadGrpcModules('client')).grpc.Metadata, grpc.Metadata)
    const built = (await import(pathToFileURL(join(ROOT, 'dist', 'protocol', 'grpc-modules.js')).href)) as {loadGrpcModules: typeof loadGrpcModules}
    assert.equal((await built.loadGrpcModules('server')).grpc.Server, grpc.Server)
    assert.equal((await built.loadGrpcModules('client')).grpc.Metadata, grpc.Metadata)
  })
})

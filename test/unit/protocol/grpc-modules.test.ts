// grpc-js and protobufjs come from one CommonJS file with V8's code cache beside it in ke's own bundles
// (the build makes both, src/protocol/grpc-modules.ts loads them): the cache the build made is one this
// Node takes, a cache it does not take costs time only, and everywhere else (ke's sources, tsc's output
// that the SDK is used from) they are the ones node_modules resolves to.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, it} from 'node:test'
import {loadGrpcModules, VENDOR_CACHE, VENDOR_FILE, type GrpcModules} from '../../../src/protocol/grpc-modules.js'
import {runWithCodeCache} from '../../../src/os/code-cache.js'
import {ROOT} from '../../support/ke.js'

const VENDOR = join(ROOT, 'dist', 'b', 'vendor')

/** What driver-service.ts needs of them: a client constructor, and a Root from JSON that encodes. */
function assertUsable({grpc, protobuf}: GrpcModules): void {
  assert.equal(typeof grpc.makeGenericClientConstructor, 'function')
  assert.equal(typeof grpc.credentials.createInsecure, 'function')
  const root = protobuf.Root.fromJSON({nested: {t: {nested: {M: {fields: {name: {type: 'string', id: 1}}}}}}})
  const type = root.lookupType('t.M')
  assert.deepEqual(type.toObject(type.decode(type.encode(type.fromObject({name: 'x'})).finish())), {name: 'x'})
}

describe('grpc-js and protobufjs with a code cache', () => {
  it('the build made both files, and this Node takes the cache', () => {
    const {exports, script} = runWithCodeCache(join(VENDOR, VENDOR_FILE), readFileSync(join(VENDOR, VENDOR_CACHE)))
    assert.equal(script.cachedDataRejected, false)
    assertUsable(exports as GrpcModules)
  })

  it('a cache this Node cannot take is passed over: the code is compiled and works', () => {
    const {exports, script} = runWithCodeCache(join(VENDOR, VENDOR_FILE), Buffer.from('not a V8 code cache'))
    assert.equal(script.cachedDataRejected, true)
    assertUsable(exports as GrpcModules)
  })

  it("outside ke's bundles they are node_modules' own: from ke's sources and from tsc's output (what ke/sdk is)", async () => {
    const grpc = await import('@grpc/grpc-js')
    const fromSources = await loadGrpcModules()
    assertUsable(fromSources)
    assert.equal(fromSources.grpc.Server, grpc.Server)
    const built = (await import(pathToFileURL(join(ROOT, 'dist', 'protocol', 'grpc-modules.js')).href)) as {loadGrpcModules: typeof loadGrpcModules}
    assert.equal((await built.loadGrpcModules()).grpc.Server, grpc.Server)
  })
})

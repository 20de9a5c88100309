// grpc-js and protobufjs come from one CommonJS file with V8's code cache beside it (the build makes both,
// src/protocol/grpc-modules.ts loads them): the cache made by the build is one this Node takes, a cache
// it does not take costs time only, and without the file they are imported as usual.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {loadGrpcModules, runWithCodeCache, VENDOR_CACHE, VENDOR_FILE, type GrpcModules} from '../../../src/protocol/grpc-modules.js'
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
    assert.ok(existsSync(join(VENDOR, VENDOR_FILE)) && existsSync(join(VENDOR, VENDOR_CACHE)), 'run `npm run build` first')
    const {exports, script} = runWithCodeCache(join(VENDOR, VENDOR_FILE), readFileSync(join(VENDOR, VENDOR_CACHE)))
    assert.equal(script.cachedDataRejected, false)
    assertUsable(exports as GrpcModules)
  })

  it('a cache this Node cannot take is passed over: the code is compiled and works', () => {
    const {exports, script} = runWithCodeCache(join(VENDOR, VENDOR_FILE), Buffer.from('not a V8 code cache'))
    assert.equal(script.cachedDataRejected, true)
    assertUsable(exports as GrpcModules)
  })

  it('without the build (ke run from its sources), they are imported as usual', async () => {
    assertUsable(await loadGrpcModules())
  })
})

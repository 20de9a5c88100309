// types.Driver's messages come from protobufjs's static code in ke's build (its vendor file) and from
// JSON elsewhere (the SDK in a driver's own project); grpc-js hosts such as Rancher read them through
// @grpc/proto-loader. All three must put the same bytes on the wire and read the same objects back.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import type * as Grpc from '@grpc/grpc-js'
import protobuf from 'protobufjs'
import {driverService, messageTypes} from '../../../src/protocol/driver-service.js'
import {DRIVERS_PROTO_JSON} from '../../../src/protocol/drivers-proto.js'
import {VENDOR_FILES, type GrpcModules, type GrpcSide} from '../../../src/protocol/grpc-modules.js'
import {loadProto} from '../../../src/protocol/proto.js'
import {requireWithCodeCache} from '../../../src/os/code-cache.js'
import {ROOT} from '../../support/ke.js'

const VENDOR = join(ROOT, 'dist', 'b', 'vendor')
const SIDES: GrpcSide[] = ['client', 'server']

/** The modules of ke's vendor file for `side`, as its bundles load them. */
function vendorModules(side: GrpcSide): GrpcModules<unknown> {
  return requireWithCodeCache(join(VENDOR, VENDOR_FILES[side])) as GrpcModules<unknown>
}

const root = protobuf.Root.fromJSON(DRIVERS_PROTO_JSON)

/** A value for every field of `type`, different per field (`seed`), nested messages filled too. */
function filled(type: protobuf.Type, seed = 1): Record<string, unknown> {
  const value: Record<string, unknown> = {}
  for (const [index, field] of type.fieldsArray.entries()) {
    field.resolve()
    const n = seed * 10 + index
    const one = (kind: string, resolved: protobuf.ReflectionObject | null): unknown => {
      if (resolved instanceof protobuf.Type) return filled(resolved, n)
      if (resolved instanceof protobuf.Enum) return Object.keys(resolved.values).at(-1)
      if (kind === 'bool') return n % 2 === 0
      if (kind === 'string') return `${field.name}-${n}`
      if (kind === 'bytes') return Buffer.from(`b${n}`)
      return n
    }
    if (field instanceof protobuf.MapField) value[field.name] = {[field.keyType === 'string' ? `k${n}` : String(n)]: one(field.type, field.resolvedType)}
    else if (field.repeated) value[field.name] = [one(field.type, field.resolvedType), one(field.type, field.resolvedType)]
    else value[field.name] = one(field.type, field.resolvedType)
  }
  return value
}

type Method = Grpc.MethodDefinition<object, object>

describe('types.Driver messages: static code, JSON and proto-loader alike', () => {
  for (const side of SIDES) it(`the same bytes and the same objects for every message of every method, filled and empty (the ${side}'s vendor file)`, async () => {
    const vendor = vendorModules(side)
    assert.ok(vendor.driversProto, 'the vendor file carries the static code')
    const fromStatic = driverService(messageTypes(vendor))
    const fromJson = driverService(messageTypes({...vendor, driversProto: undefined}))
    const {Driver} = await loadProto()
    const fromProtoLoader = Driver.service as unknown as Record<string, Method>
    const methods = Object.keys(fromProtoLoader)
    assert.deepEqual(Object.keys(fromStatic).sort(), methods.sort())
    for (const name of methods) {
      const {requestType, responseType} = root.lookupService('types.Driver').methods[name]
      for (const [side, typeName] of [['request', requestType], ['response', responseType]] as const) {
        const type = root.lookupType(`types.${typeName}`)
        for (const value of [filled(type), {}]) {
          const serialize = (service: Record<string, Method>) => (side === 'request' ? service[name].requestSerialize : service[name].responseSerialize)(value)
          const deserialize = (service: Record<string, Method>, bytes: Buffer) => (side === 'request' ? service[name].requestDeserialize : service[name].responseDeserialize)(bytes)
          const bytes = serialize(fromProtoLoader)
          assert.ok(bytes.length > 0 || Object.keys(value).length === 0 || type.fieldsArray.length === 0)
          assert.deepEqual(serialize(fromStatic), bytes, `${name} ${side}: static code`)
          assert.deepEqual(serialize(fromJson), bytes, `${name} ${side}: JSON`)
          const read = deserialize(fromProtoLoader, bytes)
          assert.deepEqual(deserialize(fromStatic, bytes), read, `${name} ${side}: static code reads`)
          assert.deepEqual(deserialize(fromJson, bytes), read, `${name} ${side}: JSON reads`)
        }
      }
    }
  })

  for (const side of SIDES) it(`reads past fields it does not know, as proto-loader does (a ClusterInfo where Empty is expected; the ${side}'s vendor file)`, async () => {
    const vendor = vendorModules(side)
    const {Driver} = await loadProto()
    const fromProtoLoader = Driver.service as unknown as Record<string, Method>
    const bytes = fromProtoLoader.PostCheck.responseSerialize(filled(root.lookupType('types.ClusterInfo')))
    const read = fromProtoLoader.Remove.responseDeserialize(bytes)
    for (const modules of [vendor, {...vendor, driversProto: undefined}]) assert.deepEqual(driverService(messageTypes(modules)).Remove.responseDeserialize(bytes), read)
  })
})

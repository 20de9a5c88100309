// The host's side of proto/drivers.proto: a grpc-js client for types.Driver, built from the parsed
// .proto with protobufjs alone. @grpc/proto-loader (proto.ts) also derives every message's file
// descriptors, which only the SDK's reflection service needs; skipping them saves ~25 ms and ~3 MiB
// on every ke command that calls a driver. Messages convert exactly as proto-loader converts them.
import type * as Grpc from '@grpc/grpc-js'
import type * as Protobuf from 'protobufjs'
import {PROTO_LOADER_OPTIONS, protoText, withInfoReplies} from '../../protocol/proto.js'

export interface DriverClientProto {
  grpc: typeof Grpc
  Driver: Grpc.ServiceClientConstructor
}

const TO_OBJECT: Protobuf.IConversionOptions = {
  longs: PROTO_LOADER_OPTIONS.longs,
  enums: PROTO_LOADER_OPTIONS.enums,
  defaults: PROTO_LOADER_OPTIONS.defaults,
  oneofs: PROTO_LOADER_OPTIONS.oneofs,
}

function serializer(type: Protobuf.Type): (value: object) => Buffer {
  return (value) => type.encode(type.fromObject(value)).finish() as Buffer
}

function deserializer(type: Protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), TO_OBJECT)
}

let loaded: Promise<DriverClientProto> | undefined

/** Loads grpc-js and the service once per process; callers start it early to overlap with driver start-up. */
export function loadDriverClient(): Promise<DriverClientProto> {
  loaded ??= (async () => {
    const [grpc, protobuf] = await Promise.all([import('@grpc/grpc-js'), import('protobufjs')])
    const {root} = protobuf.default.parse(protoText(), {keepCase: true})
    const service = root.lookupService('types.Driver')
    const definition: Record<string, Grpc.MethodDefinition<object, object>> = {}
    for (const method of service.methodsArray) {
      method.resolve()
      const request = method.resolvedRequestType!
      const response = method.resolvedResponseType!
      definition[method.name] = {
        path: `/types.Driver/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: serializer(request),
        requestDeserialize: deserializer(request),
        responseSerialize: serializer(response),
        responseDeserialize: deserializer(response),
      }
    }
    return {grpc, Driver: grpc.makeGenericClientConstructor(withInfoReplies(definition), 'Driver')}
  })()
  return loaded
}

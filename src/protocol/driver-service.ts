// The types.Driver service as grpc-js takes it, built with protobufjs alone from the JSON form of
// proto/drivers.proto (drivers-proto.ts, made at build time): no .proto text is parsed at run time.
// Shared by the host's client (driver/rpc/proto-client.ts) and the SDK's server. @grpc/proto-loader
// (proto.ts) also derives every message's file descriptors, which only the SDK's reflection service
// needs: skipping them saves ~25 ms and ~3 MiB on every ke command and every driver start. Messages
// convert exactly as proto-loader converts them.
import type * as Grpc from '@grpc/grpc-js'
import type * as Protobuf from 'protobufjs'
import {DRIVERS_PROTO_JSON} from './drivers-proto.js'
import {PROTO_LOADER_OPTIONS} from './proto.js'
import {loadGrpcModules} from './grpc-modules.js'

export interface DriverService {
  grpc: typeof Grpc
  /** Method definitions of types.Driver, for a server's addService. */
  service: Grpc.ServiceDefinition
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

let loaded: Promise<DriverService> | undefined

/** Loads grpc-js and the service once per process; callers start it early to overlap with other start-up. */
export function loadDriverService(): Promise<DriverService> {
  loaded ??= (async () => {
    // the light build: no .proto parser is needed for JSON
    const {grpc, protobuf} = await loadGrpcModules()
    const root = protobuf.Root.fromJSON(DRIVERS_PROTO_JSON)
    const driver = root.lookupService('types.Driver')
    const service: Record<string, Grpc.MethodDefinition<object, object>> = {}
    for (const method of driver.methodsArray) {
      method.resolve()
      const request = method.resolvedRequestType!
      const response = method.resolvedResponseType!
      service[method.name] = {
        path: `/types.Driver/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: serializer(request),
        requestDeserialize: deserializer(request),
        responseSerialize: serializer(response),
        responseDeserialize: deserializer(response),
      }
    }
    return {grpc, service}
  })()
  return loaded
}

// The types.Driver service as grpc-js takes it, built with protobufjs alone: no .proto text is parsed at
// run time. Shared by the host's client (driver/rpc/proto-client.ts) and the SDK's server. The messages
// come from protobufjs's static code of proto/drivers.proto where ke's build carries it (its vendor file,
// grpc-modules.ts): building them from JSON (drivers-proto.ts) and generating their encoders at run time
// cost every ke command and every built-in driver's start ~10 ms more (fromJSON ~5 ms, then the
// encoders and decoders of each message type on its first use). The SDK in a driver's own project
// builds them from that JSON. @grpc/proto-loader (proto.ts) also derives every message's file descriptors,
// which only the SDK's reflection service needs: skipping them saves ~25 ms and ~3 MiB on every ke
// command and every driver start. Messages convert exactly as proto-loader converts them.
import type * as Grpc from '@grpc/grpc-js'
import type * as Protobuf from 'protobufjs'
import {DRIVERS_PROTO_JSON} from './drivers-proto.js'
import {PROTO_LOADER_OPTIONS} from './proto.js'
import {loadGrpcModules, type GrpcModules, type GrpcClientApi, type GrpcSide, type MessageType} from './grpc-modules.js'

export interface DriverService<G = typeof Grpc> {
  grpc: G
  /** Method definitions of types.Driver, for a server's addService. */
  service: Grpc.ServiceDefinition
}

const TO_OBJECT: Protobuf.IConversionOptions = {
  longs: PROTO_LOADER_OPTIONS.longs,
  enums: PROTO_LOADER_OPTIONS.enums,
  defaults: PROTO_LOADER_OPTIONS.defaults,
  oneofs: PROTO_LOADER_OPTIONS.oneofs,
}

interface MethodJson {
  requestType: string
  responseType: string
}

/** The package of proto/drivers.proto; every message the service names is in it. */
const PACKAGE = 'types'

function serializer(type: MessageType): (value: object) => Buffer {
  return (value) => type.encode(type.fromObject(value)).finish() as Buffer
}

function deserializer(type: MessageType): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), TO_OBJECT)
}

/** types.Driver's methods, each with its messages from `messageType` (by name in the package). */
export function driverService(messageType: (name: string) => MessageType): Grpc.ServiceDefinition {
  const methods = (DRIVERS_PROTO_JSON.nested![PACKAGE] as {nested: {Driver: {methods: Record<string, MethodJson>}}}).nested.Driver.methods
  const service: Record<string, Grpc.MethodDefinition<object, object>> = {}
  for (const [name, {requestType, responseType}] of Object.entries(methods)) {
    const request = messageType(requestType)
    const response = messageType(responseType)
    service[name] = {
      path: `/${PACKAGE}.Driver/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
    }
  }
  return service
}

/** The messages of proto/drivers.proto: the static code when the modules carry it, else built from JSON. */
export function messageTypes({protobuf, driversProto}: GrpcModules<unknown>): (name: string) => MessageType {
  if (driversProto) {
    return (name) => {
      const type = driversProto[PACKAGE]?.[name]
      if (!type) throw new Error(`${PACKAGE}.${name} is not in the static code of ke's build`)
      return type
    }
  }
  const root = protobuf.Root.fromJSON(DRIVERS_PROTO_JSON)
  return (name) => root.lookupType(`${PACKAGE}.${name}`)
}

const loaded: {client?: Promise<DriverService<GrpcClientApi>>; server?: Promise<DriverService>} = {}

/** Loads grpc-js and the service once per process; callers start it early to overlap with other start-up. */
export function loadDriverService(side: 'client'): Promise<DriverService<GrpcClientApi>>
export function loadDriverService(side: 'server'): Promise<DriverService>
export function loadDriverService(side: GrpcSide): Promise<DriverService<GrpcClientApi> | DriverService> {
  if (side === 'client') return (loaded.client ??= loadGrpcModules('client').then(withService))
  return (loaded.server ??= loadGrpcModules('server').then(withService))
}

function withService<G>(modules: GrpcModules<G>): DriverService<G> {
  return {grpc: modules.grpc, service: driverService(messageTypes(modules))}
}

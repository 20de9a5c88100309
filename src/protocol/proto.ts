// proto/drivers.proto through @grpc/proto-loader: the package definition with every file descriptor,
// which the SDK's reflection service serves. Calls themselves go through driver-service.ts, which
// builds the same service without the descriptors. Both read the JSON form made at build time.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type * as ProtoLoader from '@grpc/proto-loader'
import type * as Grpc from '@grpc/grpc-js'

/** int64 fields decode as JS numbers (values are validated as safe integers before they are sent). */
export const PROTO_LOADER_OPTIONS: ProtoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: false,
}

export function protoPath(): string {
  return fileURLToPath(new URL('../../proto/drivers.proto', import.meta.url))
}

/** The .proto text. A packaged driver replaces this read with the text embedded at bundle time. */
export function protoText(): string {
  return globalThis.__KE_PROTO_TEXT__ ?? readFileSync(protoPath(), 'utf8')
}

declare global {
  // set by the bundle banner of a packaged driver (driver package), where no proto file sits on disk
  var __KE_PROTO_TEXT__: string | undefined
}

export interface LoadedProto {
  grpc: typeof Grpc
  packageDefinition: ProtoLoader.PackageDefinition
  /** The `types.Driver` service: client constructor and service definition. */
  Driver: Grpc.ServiceClientConstructor
}

let loaded: Promise<LoadedProto> | undefined

/** Loads grpc-js and the proto once per process; callers start it early to overlap with driver start-up. */
export function loadProto(): Promise<LoadedProto> {
  loaded ??= (async () => {
    const [grpc, protoLoader, {DRIVERS_PROTO_JSON}] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader'), import('./drivers-proto.js')])
    const packageDefinition = protoLoader.fromJSON(DRIVERS_PROTO_JSON, PROTO_LOADER_OPTIONS)
    const types = grpc.loadPackageDefinition(packageDefinition).types as Grpc.GrpcObject
    return {grpc, packageDefinition, Driver: types.Driver as Grpc.ServiceClientConstructor}
  })()
  return loaded
}

/**
 * SetVersion and SetNodeCount reply `Empty` in the proto. Our SDK drivers may answer with the changed
 * ClusterInfo instead, and ke stores it: the reply is read as a ClusterInfo, and an `Empty` reply (zero
 * bytes) reads as an empty one. Hosts that read `Empty` (Rancher) skip the unknown fields.
 */
export function withInfoReplies(service: Grpc.ServiceDefinition): Grpc.ServiceDefinition {
  const info = service.Create
  const infoReply = (method: Grpc.MethodDefinition<unknown, unknown>) => ({...method, responseSerialize: info.responseSerialize, responseDeserialize: info.responseDeserialize})
  return {...service, SetVersion: infoReply(service.SetVersion), SetNodeCount: infoReply(service.SetNodeCount)}
}

// grpc-js and protobufjs, as the host and the SDK load them for types.Driver (driver-service.ts). Every
// `ke create` and `ke rm` loads both, and compiling them was most of what was left of that cost: ke's
// build puts the two, with protobufjs's static code of proto/drivers.proto, in a CommonJS file with
// V8's code cache beside it (dist/b/vendor/, scripts/bundle.js), and ke's own bundles (its commands,
// its built-in drivers) load them from there (os/code-cache.ts). The host's file carries grpc-js's
// client half alone: a quarter less to read, compile and run on every create and rm. Everything else
// imports them as usual: tsc's output, and with it the SDK in a driver's own project, which must get
// the grpc-js its own dependencies resolve to.
import type * as Grpc from '@grpc/grpc-js'
import type ProtobufLight from 'protobufjs/light.js'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {requireWithCodeCache} from '../os/code-cache.js'

/** A message type as protobufjs's reflection (Type) and its static code both give it. */
export interface MessageType {
  encode(message: object): {finish(): Uint8Array}
  decode(bytes: Uint8Array): object
  fromObject(value: object): object
  toObject(message: object, options: ProtobufLight.IConversionOptions): object
}

/** What of grpc-js the host's client uses: all that its vendor file carries (scripts/bundle.js). */
export type GrpcClientApi = Pick<typeof Grpc, 'Metadata' | 'status' | 'makeGenericClientConstructor'> & {credentials: Pick<typeof Grpc.credentials, 'createInsecure'>}

/** Which half of gRPC a process runs: the host's client, or a driver's server (which needs all of grpc-js). */
export type GrpcSide = 'client' | 'server'

export interface GrpcModules<G = typeof Grpc> {
  grpc: G
  /** protobufjs's light build: no .proto parser. */
  protobuf: typeof ProtobufLight
  /** protobufjs's static code of proto/drivers.proto, by package and name: in ke's vendor files only. */
  driversProto?: Record<string, Record<string, MessageType>>
}

/** What scripts/bundle.js writes to dist/b/vendor/ for each side, its code cache beside it (codeCacheFileOf). */
export const VENDOR_FILES: Record<GrpcSide, string> = {client: 'grpc-client.cjs', server: 'grpc.cjs'}

/** Defined (as true) by scripts/bundle.js in ke's own bundles only. */
declare const __KE_OWN_BUNDLE__: boolean | undefined

/** The directory of ke's vendor files, when this code runs from one of ke's own bundles. */
function vendorDir(): string | undefined {
  if (typeof __KE_OWN_BUNDLE__ === 'undefined' || !__KE_OWN_BUNDLE__) return undefined
  // in ke's bundles import.meta.url is this module's URL in dist/ (scripts/bundle.js rewrites it)
  return fileURLToPath(new URL('../b/vendor/', import.meta.url))
}

export async function loadGrpcModules(side: 'client'): Promise<GrpcModules<GrpcClientApi>>
export async function loadGrpcModules(side: 'server'): Promise<GrpcModules>
export async function loadGrpcModules(side: GrpcSide): Promise<GrpcModules<GrpcClientApi> | GrpcModules> {
  const dir = vendorDir()
  if (dir) {
    try {
      return requireWithCodeCache(join(dir, VENDOR_FILES[side])) as GrpcModules
    } catch {
      // the file missing or damaged: the modules as usual
    }
  }
  const [grpc, protobuf] = await Promise.all([import('@grpc/grpc-js'), import('protobufjs/light.js')])
  return {grpc, protobuf: protobuf.default}
}

// grpc-js and protobufjs, as the host and the SDK load them for types.Driver (driver-service.ts). Every
// `ke create` and `ke rm` loads both, and compiling them was most of what was left of that cost: ke's
// build puts the two, with protobufjs's static code of proto/drivers.proto, in one CommonJS file with
// V8's code cache beside it (dist/b/vendor/, scripts/bundle.js), and ke's own bundles (its commands,
// its built-in drivers) load them from there (os/code-cache.ts). Everything else imports them as
// usual: tsc's output, and with it the SDK in a driver's own project, which must get the grpc-js its
// own dependencies resolve to.
import type * as Grpc from '@grpc/grpc-js'
import type ProtobufLight from 'protobufjs/light.js'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {readCodeCache, runWithCodeCache} from '../os/code-cache.js'

/** A message type as protobufjs's reflection (Type) and its static code both give it. */
export interface MessageType {
  encode(message: object): {finish(): Uint8Array}
  decode(bytes: Uint8Array): object
  fromObject(value: object): object
  toObject(message: object, options: ProtobufLight.IConversionOptions): object
}

export interface GrpcModules {
  grpc: typeof Grpc
  /** protobufjs's light build: no .proto parser. */
  protobuf: typeof ProtobufLight
  /** protobufjs's static code of proto/drivers.proto, by package and name: in ke's vendor file only. */
  driversProto?: Record<string, Record<string, MessageType>>
}

/** What scripts/bundle.js writes to dist/b/vendor/. */
export const VENDOR_FILE = 'grpc.cjs'
export const VENDOR_CACHE = 'grpc.cache'

/** Defined (as true) by scripts/bundle.js in ke's own bundles only. */
declare const __KE_OWN_BUNDLE__: boolean | undefined

/** The vendor file of ke's build, when this code runs from one of ke's own bundles. */
function vendorFile(): string | undefined {
  if (typeof __KE_OWN_BUNDLE__ === 'undefined' || !__KE_OWN_BUNDLE__) return undefined
  // in ke's bundles import.meta.url is this module's URL in dist/ (scripts/bundle.js rewrites it)
  return fileURLToPath(new URL(`../b/vendor/${VENDOR_FILE}`, import.meta.url))
}

export async function loadGrpcModules(): Promise<GrpcModules> {
  const file = vendorFile()
  if (file) {
    try {
      return runWithCodeCache(file, readCodeCache(join(dirname(file), VENDOR_CACHE))).exports as GrpcModules
    } catch {
      // the file missing or damaged: the modules as usual
    }
  }
  const [grpc, protobuf] = await Promise.all([import('@grpc/grpc-js'), import('protobufjs/light.js')])
  return {grpc, protobuf: protobuf.default}
}

// grpc-js and protobufjs, as the host and the SDK load them for types.Driver (driver-service.ts). Every
// `ke create` and `ke rm` loads both, and compiling them is most of that cost: the build puts the two in
// one CommonJS file with V8's code cache beside it (dist/b/vendor/, scripts/bundle.js), and they are
// loaded from there with the cache, through node:vm as Node's own loader does. Without that file (ke run
// from tsc's output, the SDK in another project) they are imported as usual. V8 checks the cache: one
// made by another Node (or with other V8 flags) is ignored and the code is compiled as without it.
import type * as Grpc from '@grpc/grpc-js'
import type ProtobufLight from 'protobufjs/light.js'
import {existsSync, readFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'

export interface GrpcModules {
  grpc: typeof Grpc
  /** protobufjs's light build: no .proto parser. */
  protobuf: typeof ProtobufLight
}

/** Where the build puts them (scripts/bundle.js writes VENDOR_FILE and VENDOR_CACHE there). */
export const VENDOR_FILE = 'grpc.cjs'
export const VENDOR_CACHE = 'grpc.cache'

function vendorDir(): string {
  return fileURLToPath(new URL('../b/vendor/', import.meta.url))
}

/** Runs `file` as CommonJS with V8's code cache `cache`; returns its exports and whether V8 took the cache. */
export function runWithCodeCache(file: string, cache: Buffer | undefined): {exports: unknown; script: Script} {
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {filename: file, cachedData: cache})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
  return {exports: module.exports, script}
}

export async function loadGrpcModules(): Promise<GrpcModules> {
  const dir = vendorDir()
  const file = `${dir}${VENDOR_FILE}`
  if (!existsSync(file)) {
    const [grpc, protobuf] = await Promise.all([import('@grpc/grpc-js'), import('protobufjs/light.js')])
    return {grpc, protobuf: protobuf.default}
  }
  const cache = existsSync(`${dir}${VENDOR_CACHE}`) ? readFileSync(`${dir}${VENDOR_CACHE}`) : undefined
  return runWithCodeCache(file, cache).exports as GrpcModules
}

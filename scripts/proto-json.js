#!/usr/bin/env node
// Build step before tsc: proto/drivers.proto as protobufjs JSON, in src/protocol/drivers-proto.ts, so
// that ke and SDK drivers build their gRPC types without parsing .proto text at run time (every ke
// command and every driver start pays that). Written only when it changed; a unit test keeps the
// committed file equal to the .proto.
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
const protobuf = require('protobufjs')
const ROOT = new URL('..', import.meta.url)
const OUT = new URL('src/protocol/drivers-proto.ts', ROOT)

function driversProtoModule(protoText) {
  const {root} = protobuf.parse(protoText, {keepCase: true})
  return [
    '// Generated from proto/drivers.proto by scripts/proto-json.js (run by `npm run build`): do not edit.',
    "import type {INamespace} from 'protobufjs'",
    '',
    `const json = ${JSON.stringify(root.toJSON(), null, 2)}`,
    '',
    "// protobufjs's own toJSON() output; its INamespace type does not describe map fields (keyType)",
    'export const DRIVERS_PROTO_JSON = json as unknown as INamespace',
    '',
  ].join('\n')
}

const text = driversProtoModule(readFileSync(new URL('proto/drivers.proto', ROOT), 'utf8'))
let current = ''
try {
  current = readFileSync(OUT, 'utf8')
} catch {
  // first build
}
if (current !== text) writeFileSync(OUT, text)

// ke and SDK drivers build their gRPC types from src/protocol/drivers-proto.ts, the JSON form of
// proto/drivers.proto made by scripts/proto-json.js: it must say what the .proto says.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import protobuf from 'protobufjs'
import {DRIVERS_PROTO_JSON} from '../../../src/protocol/drivers-proto.js'
import {ROOT} from '../../support/ke.js'

describe('drivers-proto.ts', () => {
  it('is proto/drivers.proto as protobufjs reads it', () => {
    const {root} = protobuf.parse(readFileSync(join(ROOT, 'proto', 'drivers.proto'), 'utf8'), {keepCase: true})
    assert.deepEqual(DRIVERS_PROTO_JSON, JSON.parse(JSON.stringify(root.toJSON())))
  })
})

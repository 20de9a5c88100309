// Proto shapes <-> ke shapes (driver/wire.ts) and the capability numbers (driver/capabilities.ts),
// including what protobufjs really produces for int64 map keys and absent messages.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {decodeInt64Key, fromWireCapabilities, toWireCapabilities} from '../../../src/protocol/capabilities.js'
import {loadProto} from '../../../src/protocol/proto.js'
import {emptyClusterInfo, emptyDriverOptions, type ClusterInfo, type DriverOptions} from '../../../src/protocol/types.js'
import {fromWireFlags, fromWireInfo, fromWireOptions, toWireFlags, toWireInfo, toWireOptions} from '../../../src/protocol/wire.js'

/** protobufjs' "long hash": the 8 bytes of an int64, little-endian, one character per byte. */
function longHash(low: number, high = 0): string {
  const bytes = [low, low >>> 8, low >>> 16, low >>> 24, high, high >>> 8, high >>> 16, high >>> 24]
  return String.fromCharCode(...bytes.map((byte) => byte & 0xff))
}

/** Encodes and decodes a reply as grpc-js does on the wire, with the proto ke ships. */
async function throughProto(method: string, reply: unknown): Promise<any> {
  const {Driver} = await loadProto()
  const definition = (Driver.service as Record<string, {responseSerialize(value: unknown): Buffer; responseDeserialize(bytes: Buffer): unknown}>)[method]
  return definition.responseDeserialize(definition.responseSerialize(reply))
}

const INFO: ClusterInfo = {
  version: '1.30.2',
  serviceAccountToken: 'tok',
  endpoint: 'https://10.0.0.1',
  username: 'admin',
  password: 'pw',
  rootCaCertificate: 'Y2E=',
  clientCertificate: 'Y2VydA==',
  clientKey: 'a2V5',
  nodeCount: 3,
  metadata: {state: '{"id":"c-1"}', 'log-id': 'x'},
  status: 'Running',
  createError: '',
}

describe('wire › options', () => {
  it('always sends all four maps, even when every map is empty', () => {
    // When empty options are converted for the wire
    const wire = toWireOptions(emptyDriverOptions())

    // Then all four maps are present
    assert.deepEqual(wire, {bool_options: {}, string_options: {}, int_options: {}, string_slice_options: {}})
  })

  it('round-trips options of every type', () => {
    // Given options of every type
    const options: DriverOptions = {
      boolOptions: {private: false},
      stringOptions: {region: 'us'},
      intOptions: {'node-count': 3},
      stringSliceOptions: {labels: ['a=1', 'b=2']},
    }

    // When they go to the wire and back
    // Then they are unchanged
    assert.deepEqual(fromWireOptions(toWireOptions(options)), options)
  })

  it('reads missing options as four empty maps', () => {
    // When a request carried no options
    // Then the driver sees four empty maps
    assert.deepEqual(fromWireOptions(undefined), emptyDriverOptions())
  })

  it('reads int64 values sent as strings as numbers', () => {
    // Given an int option as a decimal string (how some decoders give int64)
    // Then it becomes a number
    assert.deepEqual(fromWireOptions({int_options: {'node-count': '7'}}).intOptions, {'node-count': 7})
  })
})

describe('wire › cluster info', () => {
  it('round-trips every ClusterInfo field', () => {
    // When an info goes to the wire and back
    // Then it is unchanged
    assert.deepEqual(fromWireInfo(toWireInfo(INFO)), INFO)
  })

  it('uses snake_case field names on the wire', () => {
    // When an info is converted for the wire
    const wire = toWireInfo(INFO)

    // Then the proto's names carry the values
    assert.deepEqual([wire.service_account_token, wire.root_ca_certificate, wire.node_count, wire.create_error], ['tok', 'Y2E=', 3, ''])
  })

  it('sends an empty info when there is none, and reads a missing info as empty', () => {
    // When there is no info either way
    // Then both directions give the empty info
    assert.deepEqual(fromWireInfo(toWireInfo(undefined)), emptyClusterInfo())
    assert.deepEqual(fromWireInfo(undefined), emptyClusterInfo())
  })

  it('reads a node count sent as a string as a number', () => {
    // Given node_count as a decimal string
    // Then it becomes a number
    assert.equal(fromWireInfo({node_count: '12'}).nodeCount, 12)
  })
})

describe('wire › flags', () => {
  it('keeps the default absent when the wire flag has none', () => {
    // Given a flag whose default message proto-loader decoded as null
    const flags = fromWireFlags({a: {type: 'int', usage: 'u', value: '', default: null, password: false}})

    // Then it has no default at all
    assert.equal('default' in flags.a, false)
  })

  it('keeps a default that is present but all zero', () => {
    // Given a flag with a present, zero default
    const flags = fromWireFlags({a: {type: 'int', default: {defaultInt: 0}}})

    // Then the default is present with zero values
    assert.deepEqual(flags.a.default, {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0})
  })

  it('keeps default absent and present apart through a real protobuf encode and decode', async () => {
    // Given one flag without a default and one with a zero default
    const sent = {
      bare: {type: 'int', usage: 'u', value: '', password: false},
      zero: {type: 'int', usage: 'u', value: '', password: false, default: {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0}},
    }

    // When they are encoded and decoded with the shipped proto
    const decoded = fromWireFlags((await throughProto('GetDriverCreateOptions', {options: toWireFlags(sent)})).options)

    // Then the first still has no default and the second still has one
    assert.deepEqual(decoded, sent)
  })
})

describe('capabilities › decodeInt64Key', () => {
  it('keeps decimal keys as they are', () => {
    // Given digit keys, even 8 digits long, Then they are already decimal
    assert.equal(decodeInt64Key('4'), '4')
    assert.equal(decodeInt64Key('12345678'), '12345678')
  })

  it('decodes protobufjs\' 8-byte little-endian hash keys', () => {
    // Given the hashes of 0, 4, 300 and 2^32
    // Then they decode to the decimal numbers
    assert.deepEqual([longHash(0), longHash(4), longHash(300), longHash(0, 1)].map(decodeInt64Key), ['0', '4', '300', '4294967296'])
  })
})

describe('capabilities › wire numbers', () => {
  it('sends the capabilities that are on under their numbers 0..4, and leaves the others out', () => {
    // When every capability is on, then only two
    // Then each is numbered as kontainer-engine numbers it
    assert.deepEqual(toWireCapabilities({getVersion: true, setVersion: true, getClusterSize: true, setClusterSize: true, etcdBackup: true}), {
      '0': true,
      '1': true,
      '2': true,
      '3': true,
      '4': true,
    })
    assert.deepEqual(toWireCapabilities({getVersion: true, setVersion: false, etcdBackup: true}), {'0': true, '4': true})
  })

  it('reads capabilities keyed by digits', () => {
    // Given digit keys, one false
    const caps = fromWireCapabilities({'1': true, '3': true, '4': false})

    // Then names follow the numbers
    assert.deepEqual(caps, {getVersion: false, setVersion: true, getClusterSize: false, setClusterSize: true, etcdBackup: false})
  })

  it('reads capabilities keyed by protobufjs hash keys', () => {
    // Given the keys protobufjs decodes for 0 and 2
    const caps = fromWireCapabilities({[longHash(0)]: true, [longHash(2)]: true})

    // Then getVersion and getClusterSize are on
    assert.deepEqual(caps, {getVersion: true, setVersion: false, getClusterSize: true, setClusterSize: false, etcdBackup: false})
  })

  it('reads back what it sends through a real protobuf encode and decode', async () => {
    // Given setVersion and etcdBackup on
    const sent = {getVersion: false, setVersion: true, getClusterSize: false, setClusterSize: false, etcdBackup: true}

    // When they are encoded and decoded with the shipped proto
    const decoded = await throughProto('GetCapabilities', {capabilities: toWireCapabilities(sent)})

    // Then the same capabilities come back
    assert.deepEqual(fromWireCapabilities(decoded.capabilities), sent)
  })

  it('ignores numbers it does not know', () => {
    // Given a key beyond the five known
    // Then all known capabilities are off
    assert.deepEqual(fromWireCapabilities({'9': true}), {getVersion: false, setVersion: false, getClusterSize: false, setClusterSize: false, etcdBackup: false})
  })
})

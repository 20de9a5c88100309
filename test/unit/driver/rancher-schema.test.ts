// Rancher's conversion of create options into its API schema (PROTOCOL.md, "exact"), as a pure function.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {
  rancherFieldName,
  rancherSchemaProblems,
  schemaDriverName,
  toRancherSchema,
} from '../../../src/driver/options/rancher-schema.js'
import type {DriverFlag, FlagDefault} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'

function flag(type: string, extra: Partial<DriverFlag> = {}): DriverFlag {
  return {type, usage: `a ${type} option`, value: '', password: false, ...extra}
}

function withDefault(changes: Partial<FlagDefault>): FlagDefault {
  return {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0, ...changes}
}

const NO_DEFAULT = {stringValue: '', intValue: 0, boolValue: false, stringSliceValue: null}

function fieldOf(f: DriverFlag, name = 'x') {
  return toRancherSchema({[name]: f}, 'test').resourceFields[name]
}

describe('rancher schema › field names', () => {
  it('capitalises every part after the first dash and joins them', () => {
    assert.equal(rancherFieldName('disk-size-gb'), 'diskSizeGb')
    assert.equal(rancherFieldName('node-pools'), 'nodePools')
  })

  it('leaves underscores and existing capitals as they are', () => {
    assert.equal(rancherFieldName('node_pools'), 'node_pools')
    assert.equal(rancherFieldName('nodePools'), 'nodePools')
    assert.equal(rancherFieldName('aws-AMI_id'), 'awsAMI_id')
  })

  it('has no name for an empty part between dashes or at the end', () => {
    assert.equal(rancherFieldName('a--b'), undefined)
    assert.equal(rancherFieldName('a-'), undefined)
  })

  it('reports an empty part as a problem and refuses to build the schema', () => {
    // Given an option a--b
    const flags = {'a--b': flag('string')}

    // Then it is a problem, and toRancherSchema throws VERIFY_FAILED naming it
    assert.deepEqual(rancherSchemaProblems(flags).map((p) => [p.option, p.kind]), [['a--b', 'empty-part']])
    assert.throws(() => toRancherSchema(flags, 'd'), (error: KeError) => error.keCode === 'VERIFY_FAILED' && /"a--b" has an empty part/.test(error.message))
  })

  it('reports two options that become the same field', () => {
    const problems = rancherSchemaProblems({'node-count': flag('int'), nodeCount: flag('int')})
    assert.deepEqual(problems.map((p) => p.kind), ['duplicate-field'])
    assert.match(problems[0].message, /options node-count and nodeCount all become field nodeCount/)
  })

  it('sorts fields by name, as Go writes a map', () => {
    const schema = toRancherSchema({zeta: flag('string'), 'alpha-beta': flag('int'), Beta: flag('bool')}, 'd')
    assert.deepEqual(Object.keys(schema.resourceFields), ['Beta', 'alphaBeta', 'driverName', 'zeta'])
  })
})

describe('rancher schema › strings', () => {
  it('are type string, or password when the option is a password', () => {
    assert.equal(fieldOf(flag('string')).type, 'string')
    assert.equal(fieldOf(flag('string', {password: true})).type, 'password')
  })

  it('default to Flag.value when the default message is absent', () => {
    assert.deepEqual(fieldOf(flag('string', {value: 'us-east-1'})).default, {...NO_DEFAULT, stringValue: 'us-east-1'})
  })

  it('default to defaultString when the default message is present, even when it is empty', () => {
    assert.deepEqual(fieldOf(flag('string', {value: '1.28', default: withDefault({defaultString: '1.29'})})).default.stringValue, '1.29')
    assert.deepEqual(fieldOf(flag('string', {value: '1.28', default: withDefault({})})).default.stringValue, '')
  })
})

describe('rancher schema › other types', () => {
  it('makes int and intPtr type int, with defaultInt only when the default message is present', () => {
    assert.deepEqual(fieldOf(flag('int', {default: withDefault({defaultInt: 3})})), {type: 'int', default: {...NO_DEFAULT, intValue: 3}, create: true, update: true, description: 'a int option'})
    assert.deepEqual(fieldOf(flag('intPtr', {value: '7'})).default, NO_DEFAULT)
    assert.equal(fieldOf(flag('intPtr')).type, 'int')
  })

  it('makes bool and boolPtr type boolean, with defaultBool when present', () => {
    assert.deepEqual(fieldOf(flag('bool', {default: withDefault({defaultBool: true})})).default, {...NO_DEFAULT, boolValue: true})
    assert.deepEqual(fieldOf(flag('boolPtr', {value: 'true'})), {type: 'boolean', default: NO_DEFAULT, create: true, update: true, description: 'a boolPtr option'})
  })

  it('makes stringSlice type array[string], with defaultStringSlice when present', () => {
    assert.deepEqual(fieldOf(flag('stringSlice', {default: withDefault({defaultStringSlice: ['a', 'b']})})).default, {...NO_DEFAULT, stringSliceValue: ['a', 'b']})
    assert.equal(fieldOf(flag('stringSlice')).type, 'array[string]')
    assert.equal(fieldOf(flag('stringSlice')).default.stringSliceValue, null)
  })

  it('refuses any other type with UNKNOWN_FLAG_TYPE', () => {
    assert.deepEqual(rancherSchemaProblems({ratio: flag('float')}).map((p) => p.kind), ['unknown-type'])
    assert.throws(() => toRancherSchema({ratio: flag('float')}, 'd'), (error: KeError) => error.keCode === 'UNKNOWN_FLAG_TYPE' && error.message === 'driver d: option ratio has type "float", which Rancher does not know')
  })

  it('leaves the description out when the usage is empty', () => {
    assert.equal('description' in fieldOf(flag('string', {usage: ''})), false)
  })
})

describe('rancher schema › driverName', () => {
  it('adds a driverName string field defaulting to the driver name, and names the schema after it', () => {
    const schema = toRancherSchema({}, 'lke')
    assert.deepEqual(schema, {
      schemaName: 'lkeEngineConfig',
      resourceFields: {driverName: {type: 'string', default: {...NO_DEFAULT, stringValue: 'lke'}, create: true, update: true}},
    })
  })

  it("replaces an option of the same name with Rancher's own field", () => {
    const schema = toRancherSchema({driverName: flag('int')}, 'lke')
    assert.equal(schema.resourceFields.driverName.type, 'string')
  })

  it('takes the name after kontainer-engine-driver- from a file, else the base name or the name given', () => {
    assert.equal(schemaDriverName('./bin/kontainer-engine-driver-lke'), 'lke')
    assert.equal(schemaDriverName('/opt/kontainer-engine-driver-lke-v0.0.13-linux-amd64'), 'lke-v0.0.13-linux-amd64')
    assert.equal(schemaDriverName('./my-driver'), 'my-driver')
    assert.equal(schemaDriverName('sample'), 'sample')
    assert.equal(schemaDriverName('kontainer-engine-driver-oke'), 'oke')
  })
})

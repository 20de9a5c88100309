// A driver's declared options as ke sees them: names, environment variables, validated and sorted
// specs, and the declared default resolved as existing drivers expect (PROTOCOL.md "Defaults").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {camelCase, envVarFor, toOptionSpecs} from '../../../src/driver/options/options.js'
import type {DriverFlag, FlagDefault} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'

function flag(type: string, extra: Partial<DriverFlag> = {}): DriverFlag {
  return {type, usage: `a ${type} option`, value: '', password: false, ...extra}
}

function withDefault(changes: Partial<FlagDefault>): FlagDefault {
  return {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0, ...changes}
}

function declaredDefault(f: DriverFlag) {
  return toOptionSpecs({x: f}, 'd')[0].declaredDefault
}

describe('driver options › camelCase (Rancher\'s rule)', () => {
  it('upper-cases the first letter of every part after the first dash', () => {
    // Given a kebab-case name, Then each later part starts upper-case
    assert.equal(camelCase('disk-size-gb'), 'diskSizeGb')
  })

  it('leaves a name without dashes unchanged', () => {
    // Given one part, Then nothing changes
    assert.equal(camelCase('region'), 'region')
  })

  it('leaves underscores and existing capitals untouched', () => {
    // Given underscores and capitals, Then only the dashes go
    assert.equal(camelCase('node_pools'), 'node_pools')
    assert.equal(camelCase('aws-AMI_id'), 'awsAMI_id')
    assert.equal(camelCase('nodePools'), 'nodePools')
  })

  it('does not throw on an empty part (a--b), where Rancher would crash, and joins the other parts', () => {
    // Given a double dash, Then the empty part adds nothing
    assert.equal(camelCase('a--b'), 'aB')
  })
})

describe('driver options › envVarFor', () => {
  it('turns a kebab-case name into KE_OPT_ and upper snake case', () => {
    // Given a kebab-case name, Then dashes become underscores under the KE_OPT_ prefix
    assert.equal(envVarFor('disk-size-gb'), 'KE_OPT_DISK_SIZE_GB')
  })

  it('gives a camelCase name the same variable as its kebab-case form', () => {
    // Given Rancher's spelling, Then the variable is the same as for the declared one
    assert.equal(envVarFor('diskSizeGb'), 'KE_OPT_DISK_SIZE_GB')
  })

  it('replaces any run of other characters with one underscore', () => {
    // Given underscores, dots and double dashes, Then each run is one underscore
    assert.equal(envVarFor('node_pools'), 'KE_OPT_NODE_POOLS')
    assert.equal(envVarFor('a.b--c'), 'KE_OPT_A_B_C')
  })
})

describe('driver options › toOptionSpecs', () => {
  it('returns the options sorted by name', () => {
    // Given options declared out of order
    const flags = {zone: flag('string'), 'api-key': flag('string'), count: flag('int')}

    // When they become specs
    const names = toOptionSpecs(flags, 'd').map((spec) => spec.name)

    // Then they are sorted
    assert.deepEqual(names, ['api-key', 'count', 'zone'])
  })

  it('throws UNKNOWN_FLAG_TYPE naming the driver and the option for a type outside the protocol', () => {
    // Given an option of type float
    const flags = {ok: flag('string'), ratio: flag('float')}

    // When they become specs
    // Then the error names driver, option and type
    assert.throws(
      () => toOptionSpecs(flags, 'acme'),
      (error: unknown) =>
        error instanceof KeError &&
        error.keCode === 'UNKNOWN_FLAG_TYPE' &&
        error.message === 'driver acme declares option ratio with unknown type "float"' &&
        error.driver === 'acme',
    )
  })

  it('skips name and displayName, which ke fills in itself', () => {
    // Given a driver that declares the host-set options too
    const flags = {name: flag('string'), displayName: flag('string'), 'display-name': flag('string'), region: flag('string')}

    // When they become specs
    // Then only region remains
    assert.deepEqual(toOptionSpecs(flags, 'd').map((spec) => spec.name), ['region'])
  })

  it('renames the flag of an option that collides with one of ke\'s own flags to driver-<name>', () => {
    // Given an option `timeout` while ke has its own --timeout
    const specs = toOptionSpecs({timeout: flag('int'), region: flag('string')}, 'd', new Set(['timeout']))

    // Then its flag is driver-timeout, its name stays timeout, and region is unchanged
    assert.deepEqual(
      specs.map((spec) => [spec.name, spec.flagName]),
      [
        ['region', 'region'],
        ['timeout', 'driver-timeout'],
      ],
    )
  })

  it('keeps type, usage and the password mark', () => {
    // Given a password option
    const [spec] = toOptionSpecs({'api-key': flag('string', {usage: 'the key', password: true})}, 'd')

    // Then they carry over
    assert.deepEqual([spec.type, spec.usage, spec.password], ['string', 'the key', true])
  })
})

describe('driver options › declared default', () => {
  it('takes the default of each type from the Default message when present', () => {
    // Given a Default message on options of each type, Then its field for that type is the default
    assert.deepEqual(declaredDefault(flag('string', {default: withDefault({defaultString: 'us'})})), {value: 'us', source: 'default'})
    assert.deepEqual(declaredDefault(flag('int', {default: withDefault({defaultInt: 3})})), {value: 3, source: 'default'})
    assert.deepEqual(declaredDefault(flag('intPtr', {default: withDefault({defaultInt: 0})})), {value: 0, source: 'default'})
    assert.deepEqual(declaredDefault(flag('boolPtr', {default: withDefault({defaultBool: true})})), {value: true, source: 'default'})
    assert.deepEqual(declaredDefault(flag('stringSlice', {default: withDefault({defaultStringSlice: ['a']})})), {value: ['a'], source: 'default'})
  })

  it('prefers a present but empty Default over Flag.value, as Rancher does', () => {
    // Given Default present with an empty string and Flag.value set
    const f = flag('string', {value: 'from-value', default: withDefault({})})

    // Then the empty Default wins
    assert.deepEqual(declaredDefault(f), {value: '', source: 'default'})
  })

  it('parses Flag.value by the option\'s type when Default is absent', () => {
    // Given defaults declared only as Flag.value text, Then each is parsed by its type
    assert.deepEqual(declaredDefault(flag('string', {value: 'us-east'})), {value: 'us-east', source: 'flag-value'})
    assert.deepEqual(declaredDefault(flag('int', {value: '3'})), {value: 3, source: 'flag-value'})
    assert.deepEqual(declaredDefault(flag('intPtr', {value: '-2'})), {value: -2, source: 'flag-value'})
    assert.deepEqual(declaredDefault(flag('bool', {value: 'false'})), {value: false, source: 'flag-value'})
    assert.deepEqual(declaredDefault(flag('boolPtr', {value: 'true'})), {value: true, source: 'flag-value'})
    assert.deepEqual(declaredDefault(flag('stringSlice', {value: 'a, b,,c'})), {value: ['a', 'b', 'c'], source: 'flag-value'})
  })

  it('has no declared default when Flag.value does not parse as the option\'s type', () => {
    // Given Flag.value text that is not an int or a bool, Then there is no default rather than a wrong one
    assert.equal(declaredDefault(flag('int', {value: 'three'})), undefined)
    assert.equal(declaredDefault(flag('bool', {value: 'maybe'})), undefined)
  })

  it('has no declared default when neither Default nor Flag.value is set', () => {
    // Given a bare option, Then it has no default
    assert.equal(declaredDefault(flag('string')), undefined)
  })
})

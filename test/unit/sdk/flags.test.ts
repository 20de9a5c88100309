// The SDK's option builders: defaults carry their type, and an option without a default has no
// `default` message at all, so hosts see "absent" rather than a zero default (PROTOCOL.md "Defaults").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {defineOptions, option} from '../../../src/sdk/flags.js'

describe('sdk flags › typed defaults', () => {
  it('gives an int option its default as the number defaultInt', () => {
    // When an int option is declared with default 3
    const flag = option.int('nodes', {default: 3})

    // Then the default is the number 3 under defaultInt
    assert.equal(flag.type, 'int')
    assert.equal(flag.default?.defaultInt, 3)
  })

  it('gives an intPtr option its default as defaultInt', () => {
    // When an intPtr option is declared with default 0
    const flag = option.intPtr('disk', {default: 0})

    // Then the default is present and 0
    assert.equal(flag.type, 'intPtr')
    assert.equal(flag.default?.defaultInt, 0)
  })

  it('gives a string-slice option its default as a list', () => {
    // When a stringSlice option is declared with two default entries
    const flag = option.stringSlice('labels', {default: ['a=1', 'b=2']})

    // Then the default is that list
    assert.equal(flag.type, 'stringSlice')
    assert.deepEqual(flag.default?.defaultStringSlice, ['a=1', 'b=2'])
  })

  it('copies a string-slice default so changing the author\'s array later does not change it', () => {
    // Given a default list the author keeps a reference to
    const defaults = ['a']
    const flag = option.stringSlice('labels', {default: defaults})

    // When the author's array changes
    defaults.push('b')

    // Then the declared default is unchanged
    assert.deepEqual(flag.default?.defaultStringSlice, ['a'])
  })

  it('gives bool and boolPtr options their default as defaultBool', () => {
    // When bool options are declared with defaults
    const plain = option.bool('private', {default: true})
    const pointer = option.boolPtr('logging', {default: false})

    // Then each default is the boolean under defaultBool
    assert.deepEqual([plain.type, plain.default?.defaultBool], ['bool', true])
    assert.deepEqual([pointer.type, pointer.default?.defaultBool], ['boolPtr', false])
  })

  it('mirrors a string default in Flag.value, where the old kontainer-engine CLI reads it', () => {
    // When a string option is declared with a default
    const flag = option.string('region', {default: 'us-east'})

    // Then both Default.defaultString and Flag.value carry it
    assert.equal(flag.default?.defaultString, 'us-east')
    assert.equal(flag.value, 'us-east')
  })

  it('keeps the usage text as given', () => {
    // When an option is declared
    const flag = option.int('number of worker nodes')

    // Then its usage is the text
    assert.equal(flag.usage, 'number of worker nodes')
  })
})

describe('sdk flags › no default', () => {
  it('leaves out the default message for every type declared without a default', () => {
    // When each builder is used without a default
    const flags = [option.string('s'), option.int('i'), option.intPtr('ip'), option.bool('b'), option.boolPtr('bp'), option.stringSlice('ss')]

    // Then none carries a `default` key (hosts see "absent"), and Flag.value is empty
    assert.deepEqual(flags.map((flag) => 'default' in flag), [false, false, false, false, false, false])
    assert.deepEqual(flags.map((flag) => flag.value), ['', '', '', '', '', ''])
  })
})

describe('sdk flags › password', () => {
  it('declares a password option as a string marked password, without a default', () => {
    // When a password option is declared
    const flag = option.password('API key')

    // Then it is a string flag with password set and no default
    assert.equal(flag.type, 'string')
    assert.equal(flag.password, true)
    assert.equal('default' in flag, false)
  })

  it('marks ordinary options as not password', () => {
    // When a string option is declared
    const flag = option.string('region')

    // Then it is not a password
    assert.equal(flag.password, false)
  })
})

describe('sdk flags › defineOptions', () => {
  it('returns the options by name as the DriverFlags map', () => {
    // Given two options
    const region = option.string('region', {default: 'r1'})
    const nodes = option.int('nodes', {default: 3})

    // When they are defined together
    const flags = defineOptions({region, 'node-count': nodes})

    // Then the map holds them under their names
    assert.deepEqual(Object.keys(flags), ['region', 'node-count'])
    assert.equal(flags['node-count'], nodes)
  })
})

// The SDK's option readers: a driver reads each option under kebab-case and camelCase (Rancher sends
// camelCase, ke and the kontainer-engine CLI send the declared names), with the protocol's pointer
// semantics (PROTOCOL.md "Meaning").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Options} from '../../../src/sdk/options.js'
import {emptyDriverOptions, type DriverOptions} from '../../../src/protocol/types.js'

function optionsWith(changes: Partial<DriverOptions>): Options {
  return new Options({...emptyDriverOptions(), ...changes})
}

describe('sdk options › key spelling', () => {
  it('reads an option declared kebab-case when Rancher sent it camelCase', () => {
    // Given Rancher's API sent the declared `disk-size-gb` as `diskSizeGb`
    const options = optionsWith({intOptions: {diskSizeGb: 50}})

    // When the driver reads it by its declared name
    const value = options.int('disk-size-gb')

    // Then it finds the camelCase key
    assert.equal(value, 50)
  })

  it('reads an option by its camelCase name when the host sent the kebab-case name', () => {
    // Given ke sent the declared name
    const options = optionsWith({stringOptions: {'kubernetes-version': '1.30'}})

    // When the driver reads it by the camelCase name
    const value = options.string('kubernetesVersion')

    // Then it finds the kebab-case key
    assert.equal(value, '1.30')
  })

  it('prefers the exact spelling when the host sent both spellings with different values', () => {
    // Given both spellings, disagreeing
    const options = optionsWith({stringOptions: {region: 'x', 'node-zone': 'kebab', nodeZone: 'camel'}})

    // When each spelling is read
    // Then each read returns the key spelled as asked
    assert.equal(options.string('node-zone'), 'kebab')
    assert.equal(options.string('nodeZone'), 'camel')
  })

  it('looks up bool and string-slice options under both spellings too', () => {
    // Given camelCase keys for a bool and a list
    const options = optionsWith({boolOptions: {enableLogging: true}, stringSliceOptions: {'node-labels': ['a=1']}})

    // When they are read by the other spelling
    // Then both are found
    assert.equal(options.bool('enable-logging'), true)
    assert.deepEqual(options.stringSlice('nodeLabels'), ['a=1'])
  })
})

describe('sdk options › pointer semantics', () => {
  it('returns undefined from intPtr and boolPtr when the host did not send the option', () => {
    // Given no options at all
    const options = optionsWith({})

    // When pointer options are read
    // Then absent is undefined, not zero or false
    assert.equal(options.intPtr('disk-size-gb'), undefined)
    assert.equal(options.boolPtr('enable-logging'), undefined)
  })

  it('returns 0 and false from intPtr and boolPtr when the host sent 0 and false', () => {
    // Given zero values sent explicitly
    const options = optionsWith({intOptions: {diskSizeGb: 0}, boolOptions: {'enable-logging': false}})

    // When pointer options are read
    // Then the zero values come back, distinct from absent
    assert.equal(options.intPtr('disk-size-gb'), 0)
    assert.equal(options.boolPtr('enableLogging'), false)
  })
})

describe('sdk options › fallbacks', () => {
  it('returns the zero value of each type when an option is absent and no fallback is given', () => {
    // Given no options
    const options = optionsWith({})

    // When each reader is used without a fallback
    // Then each gives its type's zero value
    assert.equal(options.string('region'), '')
    assert.equal(options.int('node-count'), 0)
    assert.equal(options.bool('private'), false)
    assert.deepEqual(options.stringSlice('labels'), [])
  })

  it('returns the fallback when an option is absent', () => {
    // Given no options
    const options = optionsWith({})

    // When each reader is given a fallback
    // Then the fallbacks come back
    assert.equal(options.string('region', 'us-east'), 'us-east')
    assert.equal(options.int('node-count', 3), 3)
    assert.equal(options.bool('private', true), true)
    assert.deepEqual(options.stringSlice('labels', ['a']), ['a'])
  })

  it('keeps a sent zero value instead of the fallback', () => {
    // Given zero values sent explicitly
    const options = optionsWith({stringOptions: {region: ''}, intOptions: {nodeCount: 0}, boolOptions: {private: false}, stringSliceOptions: {labels: []}})

    // When they are read with non-zero fallbacks
    // Then the sent values win
    assert.equal(options.string('region', 'us-east'), '')
    assert.equal(options.int('node-count', 3), 0)
    assert.equal(options.bool('private', true), false)
    assert.deepEqual(options.stringSlice('labels', ['a']), [])
  })
})

describe('sdk options › has', () => {
  it('is true for an option sent under the other spelling, in any of the four maps', () => {
    // Given one option in each map, camelCase
    const options = optionsWith({
      stringOptions: {apiKey: 'k'},
      intOptions: {nodeCount: 1},
      boolOptions: {enableLogging: false},
      stringSliceOptions: {nodeLabels: []},
    })

    // When has() is asked by the kebab-case names
    // Then all are present
    assert.deepEqual(['api-key', 'node-count', 'enable-logging', 'node-labels'].map((name) => options.has(name)), [true, true, true, true])
  })

  it('is false for an option the host did not send', () => {
    // Given options without `region`
    const options = optionsWith({stringOptions: {name: 'c1'}})

    // When has() is asked for region
    // Then it is absent
    assert.equal(options.has('region'), false)
  })
})

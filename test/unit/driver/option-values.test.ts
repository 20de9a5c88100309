// From what the user gave (flags, --set, environment, --config, stored values, declared defaults) to
// the DriverOptions a driver receives.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ConfigValues} from '../../../src/driver/options/config-file.js'
import {
  resolveOptions,
  storableValues,
  storedContext,
  toDriverOptions,
  type OptionInputs,
  type ResolvedOption,
} from '../../../src/driver/options/option-values.js'
import type {OptionSpec, OptionValue} from '../../../src/driver/options/options.js'
import type {FlagType} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'

function spec(name: string, type: FlagType, extra: Partial<OptionSpec> = {}): OptionSpec {
  return {name, flagName: name, type, usage: '', password: false, ...extra}
}

const NODE_COUNT = spec('node-count', 'int', {declaredDefault: {value: 3, source: 'default'}})

function inputs(changes: Partial<OptionInputs> = {}): OptionInputs {
  return {flags: {}, env: {}, applyDefaults: true, ...changes}
}

function config(values: Record<string, OptionValue>, file = '/tmp/cluster.yaml'): OptionInputs['config'] {
  return {file, values: new Map(Object.entries(values)) as ConfigValues}
}

function resolveOne(s: OptionSpec, given: Partial<OptionInputs>): ResolvedOption {
  return resolveOptions([s], inputs(given)).options[0]
}

function resolved(name: string, type: FlagType, value?: OptionValue, extra: Partial<ResolvedOption> = {}): ResolvedOption {
  return {name, type, value, source: value === undefined ? 'unset' : 'flag', password: false, declared: true, ...extra}
}

function keError(code: string, message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof KeError, `expected a KeError, got ${String(error)}`)
    assert.equal(error.keCode, code)
    assert.equal(error.message, message)
    return true
  }
}

// Every source at once, so each precedence test removes the winner and sees the next one win.
const ALL_SOURCES: Partial<OptionInputs> = {
  flags: {'node-count': '1'},
  extras: [{name: 'node-count', type: 'int', value: '2', source: 'set'}],
  env: {KE_OPT_NODE_COUNT: '4'},
  config: config({'node-count': 5}),
  stored: {'node-count': 6},
}

describe('option values › precedence', () => {
  it('takes a flag over every other source', () => {
    // Given a value from every source
    // When the option is resolved
    const option = resolveOne(NODE_COUNT, ALL_SOURCES)

    // Then the flag wins
    assert.deepEqual([option.value, option.source], [1, 'flag'])
  })

  it('takes --set over the environment, config, stored values and the default', () => {
    // Given every source but the flag
    const option = resolveOne(NODE_COUNT, {...ALL_SOURCES, flags: {}})

    // Then --set wins
    assert.deepEqual([option.value, option.source], [2, 'set'])
  })

  it('takes the environment over config, stored values and the default', () => {
    // Given every source but flag and --set
    const option = resolveOne(NODE_COUNT, {...ALL_SOURCES, flags: {}, extras: []})

    // Then the environment wins
    assert.deepEqual([option.value, option.source], [4, 'env'])
  })

  it('takes the config file over stored values and the default', () => {
    // Given config, stored and default
    const option = resolveOne(NODE_COUNT, {...ALL_SOURCES, flags: {}, extras: [], env: {}})

    // Then the config file wins
    assert.deepEqual([option.value, option.source], [5, 'config'])
  })

  it('takes a stored value over the declared default', () => {
    // Given only a stored value and the default
    const option = resolveOne(NODE_COUNT, {stored: {'node-count': 6}})

    // Then the stored value wins
    assert.deepEqual([option.value, option.source], [6, 'stored'])
  })

  it('falls back to the declared default when nothing else is given', () => {
    // Given nothing
    const option = resolveOne(NODE_COUNT, {})

    // Then the declared default is used
    assert.deepEqual([option.value, option.source], [3, 'default'])
  })

  it('leaves an option unset instead of applying its default when defaults are off (update)', () => {
    // Given nothing, on an update
    const option = resolveOne(NODE_COUNT, {applyDefaults: false})

    // Then it stays unset
    assert.deepEqual([option.value, option.source], [undefined, 'unset'])
  })

  it('ignores an empty environment variable', () => {
    // Given KE_OPT_NODE_COUNT set to the empty string and a config value
    const option = resolveOne(NODE_COUNT, {env: {KE_OPT_NODE_COUNT: ''}, config: config({'node-count': 5})})

    // Then the config value is used
    assert.equal(option.value, 5)
  })

  it('finds a config value under the camelCase name', () => {
    // Given a config file written with Rancher's key
    const option = resolveOne(NODE_COUNT, {config: config({nodeCount: 7})})

    // Then it is used for node-count
    assert.deepEqual([option.value, option.source], [7, 'config'])
  })

  it('reads a flag by its flag name when it was renamed to avoid one of ke\'s own flags', () => {
    // Given option timeout exposed as --driver-timeout
    const option = resolveOne(spec('timeout', 'int', {flagName: 'driver-timeout'}), {flags: {'driver-timeout': '30'}})

    // Then the value is taken from that flag
    assert.equal(option.value, 30)
  })
})

describe('option values › bad values', () => {
  it('names the environment variable when its value does not parse', () => {
    // Given an int option with a word in its variable
    // When it is resolved
    // Then the usage error names the variable
    assert.throws(
      () => resolveOne(NODE_COUNT, {env: {KE_OPT_NODE_COUNT: 'three'}}),
      keError('BAD_FLAG', 'KE_OPT_NODE_COUNT must be a whole number, got "three"'),
    )
  })

  it('names the config file and key when a config value does not parse', () => {
    // Given a bool option given a word in the config file under its camelCase key
    // When it is resolved
    // Then the error is BAD_CONFIG naming file and key
    assert.throws(
      () => resolveOne(spec('enable-logging', 'boolPtr'), {config: config({enableLogging: 'sometimes'}, '/etc/ke/c.yaml')}),
      keError('BAD_CONFIG', 'config file /etc/ke/c.yaml: key enableLogging must be true or false, got "sometimes"'),
    )
  })

  it('names the flag when a flag value does not parse', () => {
    // Given a bool flag given a word
    // When it is resolved
    // Then the error is BAD_FLAG naming the flag
    assert.throws(() => resolveOne(spec('private', 'bool'), {flags: {private: 'perhaps'}}), keError('BAD_FLAG', '--private must be true or false, got "perhaps"'))
  })

  it('rejects an int beyond the safe integer range instead of rounding it', () => {
    // Given 2^53 + 1, which a JS number cannot hold exactly
    // When it is resolved
    // Then it is refused
    assert.throws(
      () => resolveOne(NODE_COUNT, {flags: {'node-count': '9007199254740993'}}),
      keError('BAD_FLAG', '--node-count must be a whole number between -9007199254740991 and 9007199254740991, got "9007199254740993"'),
    )
  })

  it('rejects an unsafe number from a config file', () => {
    // Given a config value of 2^53 + 2 as a number
    // When it is resolved
    // Then it is a config error
    assert.throws(() => resolveOne(NODE_COUNT, {config: config({'node-count': 2 ** 53 + 2})}), (error: unknown) => error instanceof KeError && error.keCode === 'BAD_CONFIG')
  })

  it('shows a password option\'s bad value as <redacted>', () => {
    // Given a password option of type int (a PIN) with a wrong value
    const pin = spec('pin', 'int', {password: true})

    // When it is resolved
    // Then the value is not echoed
    assert.throws(() => resolveOne(pin, {flags: {pin: 's3cr3t-value'}}), keError('BAD_FLAG', '--pin must be a whole number, got <redacted>'))
    // nor is it told to be digits (beyond the safe range): a non-secret would hear of the range
    assert.throws(() => resolveOne(pin, {flags: {pin: '99999999999999999999'}}), keError('BAD_FLAG', '--pin must be a whole number, got <redacted>'))
  })
})

describe('option values › types', () => {
  it('splits a list given as text on commas and trims the parts', () => {
    // Given a stringSlice flag given as one text
    const option = resolveOne(spec('labels', 'stringSlice'), {flags: {labels: 'a=1, b=2,'}})

    // Then it is a list
    assert.deepEqual(option.value, ['a=1', 'b=2'])
  })

  it('accepts yes/no style words for bools', () => {
    // Given a bool flag given "yes" and another "off"
    const yes = resolveOne(spec('private', 'bool'), {flags: {private: 'yes'}})
    const off = resolveOne(spec('private', 'bool'), {env: {KE_OPT_PRIVATE: 'off'}})

    // Then they are true and false
    assert.deepEqual([yes.value, off.value], [true, false])
  })
})

describe('option values › toDriverOptions', () => {
  const options = [resolved('disk-size-gb', 'intPtr', 50), resolved('region', 'string', 'us')]

  it('sends each value under the declared and the camelCase name by default', () => {
    // When options are converted with key style "both"
    const sent = toDriverOptions(options, 'both', {sendUnset: false})

    // Then the dashed name goes under both spellings, the plain name once
    assert.deepEqual(sent.intOptions, {'disk-size-gb': 50, diskSizeGb: 50})
    assert.deepEqual(sent.stringOptions, {region: 'us'})
  })

  it('sends only the declared name with key style "declared"', () => {
    // When options are converted with key style "declared"
    const sent = toDriverOptions(options, 'declared', {sendUnset: false})

    // Then only the declared name is used
    assert.deepEqual(sent.intOptions, {'disk-size-gb': 50})
  })

  it('sends only the camelCase name with key style "camel"', () => {
    // When options are converted with key style "camel"
    const sent = toDriverOptions(options, 'camel', {sendUnset: false})

    // Then only the camelCase name is used
    assert.deepEqual(sent.intOptions, {diskSizeGb: 50})
    assert.deepEqual(sent.stringOptions, {region: 'us'})
  })

  it('sends the zero value of unset non-pointer options and leaves out unset pointer options', () => {
    // Given every type unset
    const unset = (['string', 'int', 'bool', 'stringSlice', 'intPtr', 'boolPtr'] as FlagType[]).map((type) => resolved(type.toLowerCase(), type))

    // When converted with sendUnset
    const sent = toDriverOptions(unset, 'declared', {sendUnset: true})

    // Then non-pointer types get zero values and pointer types are absent
    assert.deepEqual(sent, {
      stringOptions: {string: ''},
      intOptions: {int: 0},
      boolOptions: {bool: false},
      stringSliceOptions: {stringslice: []},
    })
  })

  it('sends nothing for unset options when sendUnset is off', () => {
    // Given unset options
    const sent = toDriverOptions([resolved('region', 'string'), resolved('nodes', 'int')], 'both', {sendUnset: false})

    // Then all four maps are empty
    assert.deepEqual(sent, {stringOptions: {}, intOptions: {}, boolOptions: {}, stringSliceOptions: {}})
  })

  it('sends false and 0 for pointer options set to them', () => {
    // Given pointer options set to their zero values
    const sent = toDriverOptions([resolved('enable-logging', 'boolPtr', false), resolved('disk', 'intPtr', 0)], 'declared', {sendUnset: true})

    // Then they are sent
    assert.deepEqual([sent.boolOptions, sent.intOptions], [{'enable-logging': false}, {disk: 0}])
  })
})

describe('option values › storing', () => {
  it('keeps every set value except passwords', () => {
    // Given a set option, a password and an unset option
    const values = storableValues([
      resolved('region', 'string', 'us'),
      resolved('api-key', 'string', 'sk-live-123', {password: true}),
      resolved('disk', 'intPtr'),
    ])

    // Then only region is stored
    assert.deepEqual(values, {region: 'us'})
  })

  it('sends stored create options with an update, except those the driver lists as updatable', () => {
    // Given stored region, node-count and labels, with node-count updatable
    const context = storedContext({region: 'us', nodeCount: 5, labels: ['a=1']}, [spec('node-count', 'int')])

    // Then region and labels are sent, and node-count (stored camelCase) is left out
    assert.deepEqual(context, {region: 'us', labels: ['a=1']})
  })
})

describe('option values › undeclared config keys', () => {
  it('passes a config key the driver does not declare and warns about it', () => {
    // Given a config file with an undeclared description and the host-set name
    const result = resolveOptions([NODE_COUNT], inputs({config: config({description: 'test', name: 'c1', 'node-count': 2}, '/tmp/c.yaml')}))

    // Then description is sent as given, undeclared, and named in one warning; name is neither
    assert.deepEqual(
      result.options.filter((option) => !option.declared),
      [{name: 'description', type: 'string', value: 'test', source: 'config', password: false, declared: false}],
    )
    assert.deepEqual(result.warnings, ['config file /tmp/c.yaml: description is not declared by the driver; sent as given'])
  })

  it('names the declared option an undeclared config key is a typo of, in the file\'s own spelling', () => {
    // Given config files with nodecount, nodeCont and description, and node-count declared
    const one = resolveOptions([NODE_COUNT], inputs({config: config({nodecount: 3}, '/tmp/c.yaml')}))
    const many = resolveOptions([NODE_COUNT], inputs({config: config({nodeCont: 3, description: 'x'}, '/tmp/c.yaml')}))

    // Then each warning sends them as given and offers the declared name for the typo alone
    assert.deepEqual(one.warnings, ['config file /tmp/c.yaml: nodecount is not declared by the driver; sent as given (did you mean node-count?)'])
    assert.deepEqual(many.warnings, ['config file /tmp/c.yaml: nodeCont, description are not declared by the driver; sent as given (did you mean nodeCount for nodeCont?)'])
    assert.equal(one.options.find((option) => option.name === 'nodecount')?.value, 3)
  })

  it('does not warn about --set values the driver does not declare', () => {
    // Given an undeclared --set value
    const result = resolveOptions([NODE_COUNT], inputs({extras: [{name: 'zone', type: 'string', value: 'b', source: 'set'}]}))

    // Then it is passed through without a warning
    assert.deepEqual([result.options.map((option) => option.name), result.warnings], [['node-count', 'zone'], []])
  })
})

// Issue 20: values given now win over stored ones, for options the driver declares and those it does
// not; names that look secret are handled as password options.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ConfigValues} from '../../../src/driver/options/config-file.js'
import {resolveOptions, storableValues, withoutSecrets, type OptionInputs} from '../../../src/driver/options/option-values.js'
import type {OptionSpec, OptionValue} from '../../../src/driver/options/options.js'
import type {FlagType} from '../../../src/protocol/types.js'
import {refuseCreateOnlyOptions, createOnlyOptionIn} from '../../../src/cluster/update-options.js'

function spec(name: string, type: FlagType, extra: Partial<OptionSpec> = {}): OptionSpec {
  return {name, flagName: name, type, usage: '', password: false, ...extra}
}

function inputs(changes: Partial<OptionInputs>): OptionInputs {
  return {flags: {}, env: {}, applyDefaults: false, ...changes}
}

function config(values: Record<string, OptionValue>): OptionInputs['config'] {
  return {file: '/tmp/c.yaml', values: new Map(Object.entries(values)) as ConfigValues}
}

function valueOf(specs: OptionSpec[], given: Partial<OptionInputs>, name: string): [OptionValue | undefined, string] {
  const option = resolveOptions(specs, inputs(given)).options.find((o) => o.name === name)!
  return [option.value, option.source]
}

describe('given values win over stored ones', () => {
  const stored = {region: 'stored-1', 'node-count': 2}

  it('for an undeclared option: --set, then KE_OPT_*, then --config, then stored', () => {
    const set = {extras: [{name: 'region', type: 'string' as const, value: 'set-1', source: 'set' as const}]}
    const env = {env: {KE_OPT_REGION: 'env-1'}}
    const file = {config: config({region: 'config-1'})}
    assert.deepEqual(valueOf([], {stored, ...set, ...env, ...file}, 'region'), ['set-1', 'set'])
    assert.deepEqual(valueOf([], {stored, ...env, ...file}, 'region'), ['env-1', 'env'])
    assert.deepEqual(valueOf([], {stored, ...file}, 'region'), ['config-1', 'config'])
    assert.deepEqual(valueOf([], {stored}, 'region'), ['stored-1', 'stored'])
  })

  it('sends one value per option in either spelling, the given one', () => {
    const given = {stored, extras: [{name: 'nodeCount', type: 'int' as const, value: 3, source: 'set' as const}]}
    const options = resolveOptions([], inputs(given)).options.filter((o) => o.name === 'nodeCount' || o.name === 'node-count')
    assert.deepEqual(options.map((o) => [o.name, o.value, o.source]), [['nodeCount', 3, 'set']])
  })

  it('takes the last of a repeated --set, declared or not', () => {
    const extras = ['a', 'b'].map((value) => ({name: 'region', type: 'string' as const, value, source: 'set' as const}))
    assert.deepEqual(valueOf([], {extras}, 'region'), ['b', 'set'])
    assert.deepEqual(valueOf([spec('region', 'string')], {extras}, 'region'), ['b', 'set'])
  })

  it('types KE_OPT_* for an undeclared stored option by the stored value', () => {
    assert.deepEqual(valueOf([], {stored, env: {KE_OPT_NODE_COUNT: '7'}}, 'node-count'), [7, 'env'])
  })

  it('reports a stored value equal to the declared default as the default, so a retry names only what was chosen', () => {
    const declared = [spec('region', 'string', {declaredDefault: {value: 'stored-1', source: 'default'}}), spec('node-count', 'int')]
    assert.deepEqual(valueOf(declared, {stored, applyDefaults: true}, 'region'), ['stored-1', 'default'])
    assert.deepEqual(valueOf(declared, {stored, applyDefaults: true}, 'node-count'), [2, 'stored'])
  })
})

describe('options named like secrets', () => {
  it('are password options, declared or not, and never stored', () => {
    const declared = [spec('access-token', 'string'), spec('ssh-key-name', 'string')]
    const extras = [{name: 'clientSecret', type: 'string' as const, value: 's3cret-value', source: 'set' as const}]
    const {options} = resolveOptions(declared, inputs({flags: {'access-token': 'tok-123456', 'ssh-key-name': 'mine'}, extras}))
    assert.deepEqual(options.map((o) => [o.name, o.password]), [['access-token', true], ['ssh-key-name', false], ['clientSecret', true]])
    assert.deepEqual(storableValues(options), {'ssh-key-name': 'mine'})
  })

  it('kept by an older ke are not reused', () => {
    assert.deepEqual(withoutSecrets({'api-token': 'old-token', region: 'r1', 'node-count': 2}), {region: 'r1', 'node-count': 2})
    assert.deepEqual(valueOf([spec('api-token', 'string')], {stored: {'api-token': 'old-token'}}, 'api-token'), [undefined, 'unset'])
  })
})

describe('create-only options on update', () => {
  const create = [spec('region', 'string'), spec('node-count', 'int'), spec('private', 'bool'), spec('auto-upgrade', 'bool')]
  const update = [spec('node-count', 'intPtr'), spec('auto-upgrade', 'boolPtr')]
  const own = new Set(['config', 'dry-run', 'set'])

  it('finds a create option given as a flag that update does not take', () => {
    assert.equal(createOnlyOptionIn(['x', '--region', 'eu'], create, update, own)?.name, 'region')
    assert.equal(createOnlyOptionIn(['x', '--region=eu'], create, update, own)?.name, 'region')
    assert.equal(createOnlyOptionIn(['x', '--no-private'], create, update, own)?.name, 'private')
    assert.equal(createOnlyOptionIn(['x', '--node-count', '3', '--dry-run', '--no-auto-upgrade'], create, update, own), undefined)
    assert.equal(createOnlyOptionIn(['x', '--', '--region'], create, update, own), undefined)
    assert.equal(createOnlyOptionIn(['x', '--regoin', 'eu'], create, update, own), undefined, 'a typo is left to the parser')
  })

  it('says the option is create-only and what update takes', () => {
    assert.throws(() => refuseCreateOnlyOptions(['x', '--region', 'eu'], create, update, own, 'lke', 'x'), {
      message: '--region is a create-only option of driver lke: update cannot change it',
      exitCode: 2,
    } as object)
  })
})

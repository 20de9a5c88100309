// What `--dry-run` reports of each value: where it came from, and for an update option not given, what
// ke sent for it last, never a secret.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {dryRunOf} from '../../../src/cluster/dry-run.js'
import type {ResolvedOption} from '../../../src/driver/options/option-values.js'
import {emptyDriverOptions} from '../../../src/protocol/types.js'

function unset(name: string, password = false): ResolvedOption {
  return {name, type: 'string', source: 'unset', password, declared: true}
}

function sourcesOf(resolved: ResolvedOption[], stored: Record<string, string>) {
  return dryRunOf('update', 'c1', 'd', emptyDriverOptions(), resolved, [], stored).sources
}

describe('dry-run sources', () => {
  it('names the stored value of an option not given, under either spelling of its name', () => {
    const sources = sourcesOf([unset('kubernetes-version'), unset('region')], {kubernetesVersion: 'v1.30.0', region: 'eu-1'})
    assert.deepEqual(sources, [
      {name: 'kubernetes-version', type: 'string', source: 'unset', stored: 'v1.30.0'},
      {name: 'region', type: 'string', source: 'unset', stored: 'eu-1'},
    ])
  })

  it('never names a stored value of a password option', () => {
    const sources = sourcesOf([unset('api-token', true)], {'api-token': 'hunter2'})
    assert.deepEqual(sources, [{name: 'api-token', type: 'string', source: 'unset', value: undefined}])
  })

  it('gives an option unset on create the zero Create sends for its type, nothing for a pointer type', () => {
    const resolved: ResolvedOption[] = [
      {name: 'private', type: 'bool', source: 'unset', password: false, declared: true},
      {name: 'api-key', type: 'string', source: 'unset', password: true, declared: true},
      {name: 'disk-size-gb', type: 'intPtr', source: 'unset', password: false, declared: true},
    ]
    assert.deepEqual(dryRunOf('create', 'c1', 'd', emptyDriverOptions(), resolved, []).sources, [
      {name: 'private', type: 'bool', source: 'unset', value: false},
      {name: 'api-key', type: 'string', source: 'unset', value: ''},
      {name: 'disk-size-gb', type: 'intPtr', source: 'unset', value: undefined},
    ])
  })

  it('gives a value that is sent as value, with no stored value beside it', () => {
    const given: ResolvedOption = {name: 'region', type: 'string', source: 'flag', value: 'us-2', password: false, declared: true}
    assert.deepEqual(sourcesOf([given], {region: 'eu-1'}), [{name: 'region', type: 'string', source: 'flag', value: 'us-2'}])
  })
})

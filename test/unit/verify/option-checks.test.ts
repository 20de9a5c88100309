// The options checks of `ke driver verify`, on DriverFlags built by hand.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {DriverFlag, DriverFlags, FlagDefault} from '../../../src/protocol/types.js'
import {checkOptions, looksSecret} from '../../../src/verify/option-checks.js'
import {escapeXml} from '../../../src/verify/junit.js'

function flag(type: string, extra: Partial<DriverFlag> = {}): DriverFlag {
  return {type, usage: 'something', value: '', password: false, ...extra}
}

function withDefault(changes: Partial<FlagDefault>): FlagDefault {
  return {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0, ...changes}
}

function outcome(create: DriverFlags, name: string, update?: DriverFlags) {
  return new Map(checkOptions({create, update})).get(name as never)!
}

describe('verify › options checks', () => {
  it('pass for options of every known type with usage and matching defaults', () => {
    const create = {
      region: flag('string', {value: 'r1', default: withDefault({defaultString: 'r1'})}),
      'node-count': flag('int', {default: withDefault({defaultInt: 3})}),
      'api-key': flag('string', {password: true}),
      labels: flag('stringSlice'),
    }
    assert.deepEqual(checkOptions({create, update: {}}).map(([name, o]) => [name, o.status]), [
      ['options.types', 'pass'],
      ['options.defaults', 'pass'],
      ['options.unique-names', 'pass'],
      ['options.name-parts', 'pass'],
      ['options.usage', 'pass'],
      ['options.secrets', 'pass'],
    ])
  })

  it('fail options.types naming every unknown type, update options too', () => {
    const result = outcome({ratio: flag('float')}, 'options.types', {size: flag('uint')})
    assert.equal(result.status, 'fail')
    assert.equal(result.reason, 'create option "ratio" has type "float", which neither Rancher nor ke knows; update option "size" has type "uint", which neither Rancher nor ke knows')
  })

  it('fail options.defaults for a default in the wrong field or a Flag.value of the wrong type', () => {
    assert.equal(outcome({n: flag('int', {default: withDefault({defaultString: '3'})})}, 'options.defaults').status, 'fail')
    assert.match(outcome({n: flag('int', {value: 'three'})}, 'options.defaults').reason, /Flag.value "three" is not a whole number/)
    assert.match(outcome({b: flag('boolPtr', {value: 'maybe'})}, 'options.defaults').reason, /Flag.value "maybe" is not true or false/)
  })

  it('warn options.defaults where Rancher and older hosts would use different defaults', () => {
    const ignored = outcome({n: flag('int', {value: '10'})}, 'options.defaults')
    assert.equal(ignored.status, 'warn')
    assert.match(ignored.reason, /Rancher ignores Flag.value "10" for int options; declare it in Default.defaultInt/)
    const differs = outcome({v: flag('string', {value: '1.28', default: withDefault({defaultString: '1.29'})})}, 'options.defaults')
    assert.equal(differs.status, 'warn')
  })

  it("draw no Rancher warning from update options, whose defaults Rancher's API never shows", () => {
    assert.equal(outcome({}, 'options.defaults', {n: flag('int', {value: '10'})}).status, 'pass')
  })

  it('fail options.unique-names for names that collide in camelCase or take driverName', () => {
    assert.match(outcome({'node-count': flag('int'), nodeCount: flag('int')}, 'options.unique-names').reason, /create options "node-count" and "nodeCount" all become nodeCount/)
    assert.match(outcome({'driver-name': flag('string')}, 'options.unique-names').reason, /becomes driverName, which Rancher replaces/)
  })

  it('fail options.name-parts for a--b, a trailing dash and an empty name', () => {
    const result = outcome({'a--b': flag('string'), 'c-': flag('string'), '': flag('string')}, 'options.name-parts')
    assert.equal(result.status, 'fail')
    assert.equal(result.reason.split('; ').length, 3)
  })

  it('fail options.usage for blank usage', () => {
    assert.equal(outcome({zone: flag('string', {usage: '  '})}, 'options.usage').status, 'fail')
  })

  it('warn options.secrets for secret-looking string options not marked password', () => {
    const result = outcome({'api-token': flag('string'), 'ssh-key-name': flag('string'), 'key-count': flag('int')}, 'options.secrets')
    assert.equal(result.status, 'warn')
    assert.equal(result.reason, 'create option "api-token" looks like a secret but is not marked password: hosts will show and log its value')
  })
})

describe('verify › secret names', () => {
  it('match names made of secret words in kebab, snake or camel case', () => {
    for (const name of ['api-token', 'access_key', 'clientSecret', 'password', 'apikey', 'service-account-credentials']) assert.ok(looksSecret(name), name)
  })

  it('skip names about a secret rather than the secret itself', () => {
    for (const name of ['ssh-key-name', 'kmsKeyId', 'key-pair', 'region', 'monkey', 'token-file']) assert.ok(!looksSecret(name), name)
  })
})

describe('verify › junit escaping', () => {
  it('escapes markup and replaces characters XML cannot hold', () => {
    assert.equal(escapeXml(`a<b>&"c'\u0001`), 'a&lt;b&gt;&amp;&quot;c&apos;\uFFFD')
  })
})

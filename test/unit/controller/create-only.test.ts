// Issue 16: a spec change to a create-only option (one the driver's update options do not list) cannot
// be applied by Update. The controller applies the rest, keeps the created value in what it sends, and
// names what it could not apply, in the words `ke update --region` is refused with.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CREATED_OPTIONS_ANNOTATION, createdOptionsOf, createOnlyChanges, createOnlyMessage} from '../../../src/controller/create-only.js'
import {createRequest, updateRequest} from '../../../src/controller/spec-options.js'
import {toOptionSpecs} from '../../../src/driver/options/options.js'
import type {DriverFlags} from '../../../src/protocol/types.js'
import {FakeDriver} from '../../support/fake-driver.js'

const CREATE_OPTIONS: DriverFlags = {
  region: {type: 'string', usage: 'region', value: 'eu-1', password: false},
  'node-count': {type: 'int', usage: 'nodes', value: '3', password: false},
  private: {type: 'bool', usage: 'private nodes', value: '', password: false},
  'api-key': {type: 'string', usage: 'account key', value: '', password: true},
}
const UPDATE_OPTIONS: DriverFlags = {
  'node-count': {type: 'intPtr', usage: 'nodes', value: '', password: false},
}

const driver = () => new FakeDriver({name: 'fake', createOptions: CREATE_OPTIONS, updateOptions: UPDATE_OPTIONS})
const LABEL = 'team/web'
const SPEC = {driver: {name: 'fake'}}

describe('create-only options changed in a spec', () => {
  it('a Create keeps the create-only values it sent, defaults included, never a secret or an update option', async () => {
    const request = await createRequest(driver(), SPEC, {options: {region: 'us-2', nodeCount: 2}, secrets: {'api-key': 'k-123456'}}, LABEL)
    assert.deepEqual(request.createOnly, {region: 'us-2', private: false})
  })

  it('an Update names a changed create-only option and sends the created value, the update options as the spec sets them', async () => {
    const request = await updateRequest(driver(), SPEC, {options: {region: 'us-9', 'node-count': 5}, secrets: {}}, LABEL, {region: 'us-2', private: false})
    assert.deepEqual(request.createOnlyChanged, [{name: 'region', created: 'us-2'}])
    assert.equal(request.options.stringOptions.region, 'us-2')
    assert.equal(request.options.intOptions['node-count'], 5)
  })

  it('the other spelling of an option, or leaving out one created with its default, is no change', async () => {
    const request = await updateRequest(driver(), SPEC, {options: {nodeCount: 5}, secrets: {}}, LABEL, {region: 'eu-1', private: false})
    assert.deepEqual(request.createOnlyChanged, [])
    const camel = await updateRequest(driver(), SPEC, {options: {region: 'us-2', 'node-count': 5}, secrets: {}}, LABEL, {region: 'us-2', private: false})
    assert.deepEqual(camel.createOnlyChanged, [])
  })

  it('a cluster without the created values (made before ke kept them) is not compared', async () => {
    const request = await updateRequest(driver(), SPEC, {options: {region: 'us-9'}, secrets: {}}, LABEL)
    assert.deepEqual(request.createOnlyChanged, [])
    assert.equal(request.options.stringOptions.region, 'us-9')
  })

  it('compares values whole (lists, unset) and names each change once, sorted', () => {
    assert.deepEqual(createOnlyChanges({labels: ['a', 'b'], zone: 'z'}, {labels: ['a'], region: 'r'}), [
      {name: 'labels', created: ['a']},
      {name: 'region', created: 'r'},
      {name: 'zone', created: undefined},
    ])
    assert.deepEqual(createOnlyChanges({labels: ['a']}, {labels: ['a']}), [])
  })

  it('reads the annotation, and nothing from one that is missing or not an object', () => {
    assert.deepEqual(createdOptionsOf({[CREATED_OPTIONS_ANNOTATION]: '{"region":"eu-1"}'}), {region: 'eu-1'})
    assert.equal(createdOptionsOf({}), undefined)
    assert.equal(createdOptionsOf({[CREATED_OPTIONS_ANNOTATION]: 'not json'}), undefined)
    assert.equal(createdOptionsOf({[CREATED_OPTIONS_ANNOTATION]: '["region"]'}), undefined)
  })

  it('says what the CLI says of `ke update --region`, what the cluster keeps, and what the driver updates', () => {
    const update = toOptionSpecs(UPDATE_OPTIONS, 'fake')
    assert.equal(
      createOnlyMessage([{name: 'region', created: 'us-2'}], 'fake', update),
      'spec.options region is a create-only option of driver fake: update cannot change it; the running cluster keeps region="us-2" (driver fake updates only node-count; Update was called with the rest of the spec)',
    )
    assert.equal(
      createOnlyMessage([{name: 'private', created: false}, {name: 'zone', created: undefined}], 'fake', []),
      'spec.options private, zone are create-only options of driver fake: update cannot change them; the running cluster keeps private=false, zone unset (driver fake declares no update options; Update was called with the rest of the spec)',
    )
  })
})

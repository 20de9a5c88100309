// A Cluster's spec.options (+ optionsFrom Secrets) as the DriverOptions a driver receives (issue 16):
// resolved like `ke create --config`, and what cannot be sent is refused with a clear message.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createRequest, updateRequest} from '../../../src/controller/spec-options.js'
import {KeError} from '../../../src/errors.js'
import type {DriverFlags} from '../../../src/protocol/types.js'
import {FakeDriver} from '../../support/fake-driver.js'

const CREATE_OPTIONS: DriverFlags = {
  region: {type: 'string', usage: 'region', value: 'eu-1', password: false},
  'node-count': {type: 'int', usage: 'nodes', value: '3', password: false},
  labels: {type: 'stringSlice', usage: 'labels', value: '', password: false},
  'api-key': {type: 'string', usage: 'account key', value: '', password: true},
}
const UPDATE_OPTIONS: DriverFlags = {
  'node-count': {type: 'intPtr', usage: 'nodes', value: '', password: false},
}

const driver = () => new FakeDriver({name: 'fake', createOptions: CREATE_OPTIONS, updateOptions: UPDATE_OPTIONS})
const LABEL = 'team/web'

describe('spec → driver options', () => {
  it('sends spec.options typed as declared, defaults for the rest, under both key spellings', async () => {
    const request = await createRequest(driver(), {driver: {name: 'fake'}, options: {nodeCount: 5, labels: ['a=b']}}, {options: {nodeCount: 5, labels: ['a=b']}, secrets: {}}, LABEL)
    assert.equal(request.options.intOptions['node-count'], 5)
    assert.equal(request.options.intOptions.nodeCount, 5)
    assert.equal(request.options.stringOptions.region, 'eu-1')
    assert.deepEqual(request.options.stringSliceOptions.labels, ['a=b'])
    assert.deepEqual(request.storedOptions, {'node-count': 5, region: 'eu-1', labels: ['a=b']})
  })

  it('takes values from optionsFrom Secrets as secrets: sent, never stored, known to the redactor', async () => {
    const request = await createRequest(driver(), {driver: {name: 'fake'}}, {options: {}, secrets: {'api-key': 'k-123456', region: 'us-2'}}, LABEL)
    assert.equal(request.options.stringOptions['api-key'], 'k-123456')
    assert.equal(request.options.stringOptions.region, 'us-2')
    assert.deepEqual(new Set(request.secrets), new Set(['k-123456', 'us-2']))
    assert.equal(request.storedOptions['api-key'], undefined)
    assert.equal(request.storedOptions.region, undefined)
  })

  it('refuses an option the driver does not declare, naming it and the driver', async () => {
    await assert.rejects(
      createRequest(driver(), {driver: {name: 'fake'}}, {options: {colour: 'blue', 'node-count': 1}, secrets: {}}, LABEL),
      (error: KeError) => error.keCode === 'BAD_CONFIG' && error.message === 'spec.options of Cluster team/web: colour is not an option of driver fake',
    )
  })

  it('refuses a value of the wrong type, saying where it is', async () => {
    await assert.rejects(
      createRequest(driver(), {driver: {name: 'fake'}}, {options: {'node-count': 'many'}, secrets: {}}, LABEL),
      (error: KeError) => error.keCode === 'BAD_CONFIG' && /^spec\.options of Cluster team\/web: key node-count must be a whole number/.test(error.message),
    )
  })

  it('sends on update the update options the spec sets, the other values along as context, and no defaults', async () => {
    const request = await updateRequest(driver(), {driver: {name: 'fake'}}, {options: {'node-count': 4, region: 'eu-1'}, secrets: {}}, LABEL)
    assert.equal(request.options.intOptions['node-count'], 4)
    assert.equal(request.options.stringOptions.region, 'eu-1')
    assert.equal(request.options.stringSliceOptions.labels, undefined)
  })
})

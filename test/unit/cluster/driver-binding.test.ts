// Issue 20: which driver a command on a stored cluster may use (the binding rule, in process).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {boundDriver, chooseDriver, referenceTo} from '../../../src/cluster/driver-binding.js'
import {KeError} from '../../../src/errors.js'

const LKE = {name: 'c1', driver: {ref: '/opt/bin/kontainer-engine-driver-lke', display: './kontainer-engine-driver-lke'}}

function refusal(fn: () => unknown): KeError {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof KeError)
    return error
  }
  assert.fail('expected a refusal')
}

describe('driver binding', () => {
  it('uses the bound driver when the command names none', () => {
    assert.deepEqual(chooseDriver(LKE, {}), {ref: '/opt/bin/kontainer-engine-driver-lke'})
  })

  it('refuses another driver with exit 4 naming both', () => {
    const error = refusal(() => chooseDriver(LKE, {driver: referenceTo('sample', '/tmp')}))
    assert.equal(error.keCode, 'DRIVER_MISMATCH')
    assert.equal(error.exitCode, 4)
    assert.equal(error.message, 'cluster c1 was made by driver lke (/opt/bin/kontainer-engine-driver-lke), not by sample')
  })

  it('follows a moved binary of the same name and says to record it, but not the same path again', () => {
    const moved = chooseDriver(LKE, {driver: referenceTo('../new/kontainer-engine-driver-lke', '/home/me/work')})
    assert.deepEqual(moved, {ref: '/home/me/new/kontainer-engine-driver-lke', attach: undefined, rebound: {ref: '/home/me/new/kontainer-engine-driver-lke', display: '../new/kontainer-engine-driver-lke'}})
    assert.equal(chooseDriver(LKE, {driver: referenceTo('/opt/bin/kontainer-engine-driver-lke', '/')}).rebound, undefined)
    assert.equal(chooseDriver(LKE, {driver: referenceTo('lke', '/')}).ref, 'lke', 'the installed name of the same driver')
  })

  it('reaches an attached driver for the command only, whatever the record says', () => {
    assert.deepEqual(chooseDriver(LKE, {attach: '127.0.0.1:5000'}), {attach: '127.0.0.1:5000'})
  })

  it('treats a record made through --attach alone, or by an older ke bound to a port, as bound to no driver', () => {
    const legacy = {name: 'old', driver: {ref: '127.0.0.1:5000', display: '127.0.0.1:5000', attached: '127.0.0.1:5000'}}
    assert.equal(boundDriver(legacy.driver), undefined)
    assert.equal(refusal(() => chooseDriver(legacy, {})).keCode, 'MISSING_VALUE')
    assert.deepEqual(chooseDriver(legacy, {driver: referenceTo('sample', '/')}).rebound, {ref: 'sample', display: 'sample'}, 'naming a driver binds it')
    assert.equal(boundDriver({ref: 'sample', display: 'sample', attached: '127.0.0.1:5000'}), 'sample', 'made with --driver and --attach: bound to the driver')
  })
})

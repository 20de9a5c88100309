// What ke/verify says a driver did with a call is read from the gRPC status, not from the KeError code
// ke shows users for it: remapping a status for users cannot change a verdict.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {grpcFailureToKeError, Status} from '../../../src/driver/rpc/grpc-errors.js'
import {KeError} from '../../../src/errors.js'
import {answersOf, attempt} from '../../../src/verify/calls.js'
import {selectChecks} from '../../../src/verify/checks.js'

const failing = (code: number, details = 'no') => () => Promise.reject(grpcFailureToKeError({code, details}, {driver: 'x', method: 'GetVersion'}))

describe('ke/verify › what the driver did', () => {
  const cases: Array<[string, number, string, string]> = [
    ['UNIMPLEMENTED', Status.UNIMPLEMENTED, 'unknown method', 'unimplemented'],
    ["Go's nil reply (INTERNAL)", Status.INTERNAL, 'grpc: error while marshaling: proto: Marshal called with nil', 'unimplemented'],
    ['UNKNOWN (its own error)', Status.UNKNOWN, 'no cluster', 'refused'],
    ['INVALID_ARGUMENT (a BAD_ARGUMENT for users)', Status.INVALID_ARGUMENT, 'bad option', 'refused'],
    ['UNAUTHENTICATED', Status.UNAUTHENTICATED, 'no secret', 'refused'],
    ['UNAVAILABLE', Status.UNAVAILABLE, 'connection dropped', 'crashed'],
    ['DEADLINE_EXCEEDED', Status.DEADLINE_EXCEEDED, 'deadline', 'timeout'],
  ]
  for (const [what, code, details, answer] of cases) {
    it(`a call that ends with ${what} is "${answer}"`, async () => {
      const result = await attempt('GetVersion', failing(code, details))
      assert.equal(result.end, answer)
      assert.deepEqual(answersOf(result), {GetVersion: answer})
    })
  }

  it('a KeError that no gRPC status made is the driver refusing, whatever its code says', async () => {
    const result = await attempt('GetVersion', () => Promise.reject(new KeError('DRIVER_UNSUPPORTED', 'says unsupported')))
    assert.equal(result.end, 'refused')
  })

  it('a reply is "answered"; no reply within the deadline is "timeout"', async () => {
    assert.equal((await attempt('GetVersion', () => Promise.resolve('v1'))).end, 'answered')
    const never = await attempt('ETCDSave', () => new Promise(() => {}), 1)
    assert.equal(never.end, 'timeout')
  })

  it("ke's own interruption is not a verdict on the driver: it is thrown", async () => {
    await assert.rejects(attempt('Create', () => Promise.reject(new KeError('CANCELLED', 'interrupted'))), /interrupted/)
  })
})

describe('ke/verify › selecting checks', () => {
  it('takes groups and names together, and all but the lifecycle by default', () => {
    assert.deepEqual([...selectChecks(['contract.get-version', 'start-up'], false)], ['contract.get-version', 'start-up.listens', 'start-up.capabilities', 'start-up.secret'])
    const all = [...selectChecks(undefined, false)]
    assert.ok(all.includes('contract.update-options') && !all.some((name) => name.startsWith('lifecycle.')))
    assert.ok([...selectChecks(undefined, true)].includes('lifecycle.remove'))
  })

  it('refuses an unknown name, and a lifecycle check without full', () => {
    assert.throws(() => selectChecks(['option'], false), (error: KeError) => error.keCode === 'BAD_ARGUMENT' && error.message === 'unknown check "option"')
    assert.throws(() => selectChecks(['lifecycle'], false), /check lifecycle needs the lifecycle, which makes a real cluster/)
    assert.equal(selectChecks(['lifecycle'], true).size, 15)
  })
})

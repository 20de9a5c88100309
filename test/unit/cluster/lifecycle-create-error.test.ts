// Issue 19: a Create that returns info with create_error set (the driver made resources, then failed):
// the info is kept, the record is Error, a retry sends it back, and rm removes with it. In process.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createLocked} from '../../../src/cluster/lifecycle.js'
import {removeCluster} from '../../../src/cluster/operations.js'
import {isUnfinishedCreate} from '../../../src/cluster/status.js'
import {KeError} from '../../../src/errors.js'
import type {ClusterInfo} from '../../../src/protocol/types.js'
import {fakeInfo} from '../../support/fake-driver.js'
import {createRequest, NAME, world} from '../../support/lifecycle.js'

/** What a driver returns when it made a VPC and then failed, quoting the token it was given. */
function failedInfo(): ClusterInfo {
  return fakeInfo({createError: 'node pool failed: quota (token fake-token-0123456789)', metadata: {state: '{"vpc":"vpc-1"}'}})
}

async function failedCreate() {
  const w = world()
  w.redactor.add('fake-token-0123456789')
  w.driver.next('create', async () => failedInfo())
  const error = await createLocked(w.deps(), w.driver, createRequest()).then(
    () => assert.fail('create should fail'),
    (caught: unknown) => caught,
  )
  return {w, error}
}

describe('lifecycle › create_error', () => {
  it('fails with CREATE_FAILED, saying how to retry or remove, without calling PostCheck', async () => {
    // When Create returns info with create_error
    const {w, error} = await failedCreate()

    // Then the error says both ways on, and PostCheck was not called
    assert.ok(error instanceof KeError && error.keCode === 'CREATE_FAILED')
    assert.match(error.hint ?? '', /`ke create c1` retries with them, `ke rm c1` removes them/)
    assert.deepEqual(w.driver.methods, ['create'])
  })

  it("says what the driver printed last under the message, as a failed call's error does", async () => {
    // Given a driver whose log ends with a line of its own, after a note of ke's
    const w = world()
    w.driver.next('create', async () => failedInfo())
    const deps = {...w.deps(), failureLog: async () => 'creating node pool np-1\n[ke] driver exited (exit code 0)'}

    // When Create returns info with create_error
    const error = await createLocked(deps, w.driver, createRequest()).then(
      () => assert.fail('create should fail'),
      (caught: unknown) => caught,
    )

    // Then the message ends with the driver's own line, and the record keeps the tail too
    assert.ok(error instanceof KeError)
    assert.equal(error.message, 'driver fake failed Create: node pool failed: quota (token fake-token-0123456789)\nlast lines of the driver log:\n  creating node pool np-1')
    assert.equal(w.store.peek(NAME)!.errorLog, 'creating node pool np-1\n[ke] driver exited (exit code 0)')
  })

  it('keeps the returned info in an Error record, with the message redacted as its reason', async () => {
    // When Create returns info with create_error
    const {w} = await failedCreate()

    // Then the record is Error, holds the driver's state, and neither reason nor stored createError holds the token
    const stored = w.store.peek(NAME)!
    assert.deepEqual([stored.status, stored.info?.metadata.state], ['Error', '{"vpc":"vpc-1"}'])
    assert.equal(stored.reason, 'node pool failed: quota (token <redacted>)')
    assert.equal(stored.info?.createError, 'node pool failed: quota (token <redacted>)')
    assert.equal(isUnfinishedCreate(stored), true)
  })

  it('retries with the kept info: Create gets it back, with its metadata as options', async () => {
    // Given a create that returned create_error
    const {w} = await failedCreate()
    const kept = w.store.peek(NAME)!.info

    // When it is created again
    const retried = await createLocked(w.deps(), w.driver, createRequest())

    // Then the second Create got the kept info and the state, and the cluster is Running without the error
    const [, second] = w.driver.callsOf('create')
    assert.deepEqual(second.args[1], kept)
    assert.equal((second.args[0] as {stringOptions: Record<string, string>}).stringOptions.state, '{"vpc":"vpc-1"}')
    assert.deepEqual([retried.retried, retried.cluster.status, retried.cluster.info?.createError, retried.cluster.reason], [true, 'Running', '', undefined])
  })

  it('removes with the kept info: Remove gets it and the record goes', async () => {
    // Given a create that returned create_error
    const {w} = await failedCreate()
    const stored = w.store.peek(NAME)!

    // When it is removed
    const outcome = await removeCluster(w.deps('rm'), w.driver, stored, false)

    // Then the driver's Remove got the kept info, and nothing is stored
    assert.deepEqual([w.driver.callsOf('remove')[0].args[0], outcome.driverRemoved, w.store.peek(NAME)], [stored.info, true, undefined])
  })
})

// Issue 15: the Removing status and what a failure leaves for the user to read, in process (memory
// store, fake driver). `ke rm` records Removing before the driver's Remove; a failure's record keeps
// the reason with the driver log's last lines (redacted), and the store is told of each outcome.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {FlowContext} from '../../../src/cluster/flow.js'
import {beginCreate, createLocked, updateCluster} from '../../../src/cluster/lifecycle.js'
import {loadCurrent} from '../../../src/cluster/live-status.js'
import {boundedTail, operationReport} from '../../../src/cluster/operation-report.js'
import {removeCluster, setVersion} from '../../../src/cluster/operations.js'
import {KeError} from '../../../src/errors.js'
import type {OperationEvent} from '../../../src/store/cluster-store.js'
import {createRequest, NAME, options, world, type World} from '../../support/lifecycle.js'

/** A killed `ke rm`: the record was saved Removing, then nothing more happened. */
async function killedDuringRemove(w: World) {
  const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
  w.driver.next('remove', () => new Promise(() => {}))
  void removeCluster(w.deps('rm'), w.driver, cluster, false)
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(w.store.peek(NAME)!.status, 'Removing')
  return w.store.peek(NAME)!
}

describe('Removing › an rm that stopped half-way', () => {
  it('shows as Error "interrupted during Removing" when no ke holds it, and the next rm retries the Remove', async () => {
    // Given a cluster whose ke rm was killed during Remove
    const w = world()
    const left = await killedDuringRemove(w)

    // When ls/inspect look at it with no live holder
    const shown = await loadCurrent(w.store, NAME)

    // Then it is an Error naming Removing
    assert.equal(shown.status, 'Error')
    assert.match(shown.reason ?? '', /interrupted.*during Removing/)

    // And ke rm again calls Remove with the stored info and drops the record
    const outcome = await removeCluster(w.deps('rm'), w.driver, left, false)
    assert.equal(outcome.driverRemoved, true)
    assert.deepEqual(w.driver.callsOf('remove').map((call) => [call.stored?.status, call.args[0]]), [
      ['Removing', left.info],
      ['Removing', left.info],
    ])
    assert.equal(w.store.peek(NAME), undefined)
  })

  it('is refused by create, update and version set, each saying `ke rm` finishes it, with no driver call', async () => {
    // Given a cluster left Removing
    const w = world()
    const left = await killedDuringRemove(w)
    const changing = () => w.driver.methods.filter((method) => method !== 'getCapabilities')
    const calls = changing().length

    // When create, update and version set run on it
    const refused = (error: unknown) => error instanceof KeError && error.keCode === 'CLUSTER_INCOMPLETE' && /being removed/.test(error.message) && error.hint === `run \`ke rm ${NAME}\` again to finish removing it`
    await assert.rejects(beginCreate(w.deps(), createRequest()), refused)
    await assert.rejects(updateCluster(w.deps('update'), w.driver, left, {options: options(), storedOptions: {}}), refused)
    await assert.rejects(setVersion(w.deps('version set'), w.driver, left, 'v1.31.0'), refused)

    // Then the driver was asked to change nothing and the record is unchanged
    assert.equal(changing().length, calls)
    assert.equal(w.store.peek(NAME)!.status, 'Removing')
  })

  it('a failed rm leaves Error that `ke create` does not take for an unfinished create', async () => {
    // Given a Running cluster whose Remove failed
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
    w.driver.failNext('remove')
    await assert.rejects(removeCluster(w.deps('rm'), w.driver, cluster, false))

    // Then create refuses it instead of creating it again
    await assert.rejects(beginCreate(w.deps(), createRequest()), /already exists and its status is Error/)
  })
})

/** The flow's context around a world: a store that remembers what it was told. */
function flowOf(w: World, command: string): {ctx: FlowContext; events: OperationEvent[]} {
  const events: OperationEvent[] = []
  Object.assign(w.store, {report: async (_name: string, event: OperationEvent) => void events.push(event)})
  return {ctx: {...w.deps(command), home: '/nonexistent', cwd: '/', env: {}} as unknown as FlowContext, events}
}

describe('failure report › the reason with the driver log, and the store told', () => {
  const SECRET = 'pw-SECRET-7d1e0b'
  const driverLines = ['level=info msg="creating"', `level=debug msg="login with ${SECRET}"`, 'level=error msg="quota exceeded"']

  it('a failed create keeps the log\'s last lines (redacted) beside the reason, and a success drops them', async () => {
    // Given a driver whose Create fails after printing lines, one with a secret ke knows
    const w = world()
    w.redactor.add(SECRET)
    const {ctx, events} = flowOf(w, 'create')
    const report = operationReport(ctx, NAME, () => Object.assign(w.driver, {logTail: () => driverLines}))
    w.driver.failNext('create', new KeError('DRIVER_CALL_FAILED', 'driver fake failed Create: quota exceeded'))

    // When the create runs and fails
    const failure = await createLocked({...ctx, failureLog: report.failureLog}, w.driver, createRequest()).catch((error: unknown) => error)
    await report.failed(failure, {writeRecord: false})

    // Then the record is Error with the reason and the tail, the secret redacted
    const stored = w.store.peek(NAME)!
    assert.equal(stored.status, 'Error')
    assert.equal(stored.reason, 'driver fake failed Create: quota exceeded')
    assert.equal(stored.errorLog, 'level=info msg="creating"\nlevel=debug msg="login with <redacted>"\nlevel=error msg="quota exceeded"')
    // and the store was told once, as a Warning with the reason and the last lines
    assert.deepEqual(events.map((event) => [event.type, event.reason]), [['Warning', 'CreateFailed']])
    assert.match(events[0].message, /^driver fake failed Create: quota exceeded\ndriver log, last lines:\n.*quota exceeded"$/s)
    assert.ok(!JSON.stringify([stored, events]).includes(SECRET))

    // When a retry succeeds, Then the reason and the tail are gone
    await createLocked(w.deps(), w.driver, createRequest())
    assert.deepEqual([w.store.peek(NAME)!.status, w.store.peek(NAME)!.reason, w.store.peek(NAME)!.errorLog], ['Running', undefined, undefined])
  })

  it('a failed version set keeps the status, records the reason and the tail, and tells the store', async () => {
    // Given a Running cluster and a driver whose SetVersion fails
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
    const {ctx, events} = flowOf(w, 'version set')
    const report = operationReport(ctx, NAME, () => Object.assign(w.driver, {logTail: () => ['level=error msg="no such version"']}))
    w.driver.failNext('setVersion', new KeError('DRIVER_CALL_FAILED', 'driver fake failed SetVersion: no such version'))

    // When version set runs and fails
    await report.failed(await setVersion(ctx, w.driver, cluster, 'v9').catch((error: unknown) => error))

    // Then the cluster is still Running, with the reason and the log's line
    const stored = w.store.peek(NAME)!
    assert.deepEqual([stored.status, stored.reason, stored.errorLog], ['Running', 'driver fake failed SetVersion: no such version', 'level=error msg="no such version"'])
    assert.deepEqual(events.map((event) => [event.type, event.reason]), [['Warning', 'VersionSetFailed']])

    // When the next version set succeeds, Then the reason is gone
    await setVersion(ctx, w.driver, stored, 'v1.31.0')
    assert.deepEqual([w.store.peek(NAME)!.reason, w.store.peek(NAME)!.errorLog], [undefined, undefined])
  })

  it('tells nothing of a usage error, a busy cluster or a call the driver does not offer', async () => {
    const w = world()
    await createLocked(w.deps(), w.driver, createRequest())
    const {ctx, events} = flowOf(w, 'update')
    const report = operationReport(ctx, NAME, () => undefined)

    await report.failed(new KeError('BAD_FLAG', '--node-count must be a number'))
    await report.failed(new KeError('CLUSTER_BUSY', `cluster ${NAME} is busy`))
    await report.failed(new KeError('DRIVER_UNSUPPORTED', 'driver fake does not support changing the node count'))

    assert.deepEqual(events, [])
    assert.equal(w.store.peek(NAME)!.reason, undefined)
  })

  it('bounds the tail to the last lines and bytes, newest kept', () => {
    const lines = Array.from({length: 50}, (_, i) => `line ${i} ${'x'.repeat(300)}`)
    const tail = boundedTail(lines)
    assert.ok(Buffer.byteLength(tail) <= 4096)
    assert.match(tail, /line 49 x+$/)
    assert.ok(tail.split('\n').length <= 20)
    assert.equal(boundedTail(['a', 'b', 'c'], 2), 'b\nc')
  })
})

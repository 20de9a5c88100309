// Issue 19: every status move the lifecycle makes and every one it refuses, in process (memory store,
// fake driver). The table in cluster/status.ts is compared with the one written out here, and each
// runbook is checked by the history it leaves in the store.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {beginCreate, createCluster, createLocked, updateCluster} from '../../../src/cluster/lifecycle.js'
import {assertCreatable, assertMove, canMove, isInFlight, isResumable, isUnfinishedCreate, STATUSES, type Status} from '../../../src/cluster/status.js'
import {KeError} from '../../../src/errors.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {createRequest, NAME, options, world} from '../../support/lifecycle.js'

/** The allowed moves, written out independently of src/cluster/status.ts. */
const EXPECTED_MOVES: Record<Status, Status[]> = {
  Init: ['Pre-Creating', 'Error', 'Removing'],
  'Pre-Creating': ['Creating', 'Error', 'Removing'],
  Creating: ['Post-Checking', 'Error', 'Removing'],
  'Post-Checking': ['Running', 'Error', 'Removing'],
  Running: ['Updating', 'Error', 'Running', 'Removing'],
  Updating: ['Post-Checking', 'Running', 'Error', 'Removing'],
  Error: ['Pre-Creating', 'Updating', 'Error', 'Removing'],
  Removing: ['Removing', 'Error'],
}

function statusesOf(record: ClusterRecord | undefined): Status[] {
  return record?.history.map((entry) => entry.status) ?? []
}

async function running(w: ReturnType<typeof world>): Promise<ClusterRecord> {
  const created = await createLocked(w.deps(), w.driver, createRequest())
  return created.cluster
}

describe('status rules › the move table', () => {
  it('allows exactly the moves of the lifecycle and refuses every other pair', () => {
    // When every pair of statuses is asked
    const allowed = Object.fromEntries(STATUSES.map((from) => [from, STATUSES.filter((to) => canMove(from, to))]))

    // Then the allowed ones are the written-out table, in any order
    const sorted = (table: Record<string, Status[]>) => Object.fromEntries(Object.entries(table).map(([from, to]) => [from, [...to].sort()]))
    assert.deepEqual(sorted(allowed), sorted(EXPECTED_MOVES))
  })

  it('throws for a refused move (a lifecycle bug), naming both statuses', () => {
    // Then Running -> Creating and Init -> Running are refused, Init -> Pre-Creating is not
    assert.throws(() => assertMove('Running', 'Creating'), /status Running -> Creating is not allowed/)
    assert.throws(() => assertMove('Init', 'Running'), /status Init -> Running is not allowed/)
    assert.doesNotThrow(() => assertMove('Init', 'Pre-Creating'))
  })

  it('calls every status but Running and Error in flight, and every create status resumable', () => {
    // Then in-flight and resumable are these sets
    assert.deepEqual(STATUSES.filter(isInFlight), ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Updating', 'Removing'])
    assert.deepEqual(STATUSES.filter(isResumable), ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Error'])
  })
})

describe('status rules › what the runbooks record', () => {
  it('records Init, Pre-Creating, Creating, Post-Checking, Running for a create', async () => {
    // Given an empty store
    const w = world()

    // When a cluster is created
    const cluster = await running(w)

    // Then the store holds it Running with each step in its history, and the driver got Create then PostCheck
    assert.deepEqual(statusesOf(w.store.peek(NAME)), ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'])
    assert.equal(cluster.status, 'Running')
    assert.deepEqual(w.driver.methods, ['create', 'postCheck'])
  })

  it('records Updating, Post-Checking, Running for an update of a Running cluster', async () => {
    // Given a Running cluster
    const w = world()
    const cluster = await running(w)

    // When it is updated
    await updateCluster(w.deps('update'), w.driver, cluster, {options: options({intOptions: {'node-count': 5}}), storedOptions: {'node-count': 5}})

    // Then the history goes on with the update's three steps, each under the command that made it
    const history = w.store.peek(NAME)!.history.slice(5)
    assert.deepEqual(history.map((entry) => [entry.status, entry.command]), [
      ['Updating', 'update'],
      ['Post-Checking', 'update'],
      ['Running', 'update'],
    ])
  })

  for (const [failing, lastGood] of [
    ['create', 'Creating'],
    ['postCheck', 'Post-Checking'],
  ] as const) {
    it(`moves to Error with the driver's message when ${failing} fails during ${lastGood}`, async () => {
      // Given a driver whose next ${failing} fails
      const w = world()
      w.driver.failNext(failing, new KeError('DRIVER_CALL_FAILED', `quota exceeded in ${failing}`))

      // When a cluster is created
      await assert.rejects(createLocked(w.deps(), w.driver, createRequest()), /quota exceeded/)

      // Then the record is Error after the step that failed, with the message as its reason
      const stored = w.store.peek(NAME)!
      assert.deepEqual(statusesOf(stored).slice(-2), [lastGood, 'Error'])
      assert.deepEqual([stored.status, stored.reason], ['Error', `quota exceeded in ${failing}`])
    })
  }

  it('moves to Error when an update fails, and keeps the info the cluster had', async () => {
    // Given a Running cluster and a driver whose next Update fails
    const w = world()
    const cluster = await running(w)
    w.driver.failNext('update', new KeError('DRIVER_CALL_FAILED', 'cannot scale'))

    // When it is updated
    await assert.rejects(updateCluster(w.deps('update'), w.driver, cluster, {options: options(), storedOptions: {}}), /cannot scale/)

    // Then it is Error with the reason, and its info is the one from before
    const stored = w.store.peek(NAME)!
    assert.deepEqual([stored.status, stored.reason, stored.info], ['Error', 'cannot scale', cluster.info])
  })

  it('keeps a Running cluster Running when its driver refuses the update\'s options (INVALID_ARGUMENT: nothing changed)', async () => {
    // Given a Running cluster and a driver that refuses the next Update's options
    const w = world()
    const cluster = await running(w)
    w.driver.failNext('update', new KeError('BAD_ARGUMENT', 'driver fake: node-count must be at least 1, got 0'))

    // When it is updated
    await assert.rejects(updateCluster(w.deps('update'), w.driver, cluster, {options: options(), storedOptions: {}}), /must be at least 1/)

    // Then it went Updating and back to Running, without a reason, its info as it was
    const stored = w.store.peek(NAME)!
    assert.deepEqual(statusesOf(stored).slice(-2), ['Updating', 'Running'])
    assert.deepEqual([stored.status, stored.reason, stored.info], ['Running', undefined, cluster.info])
  })

  it('leaves a cluster in Error at Error when its driver refuses the update\'s options, with the refusal as the reason', async () => {
    // Given a cluster whose last update failed, and a driver that refuses the next Update's options
    const w = world()
    const cluster = await running(w)
    w.driver.failNext('update')
    await assert.rejects(updateCluster(w.deps('update'), w.driver, cluster, {options: options(), storedOptions: {}}))
    w.driver.failNext('update', new KeError('BAD_ARGUMENT', 'driver fake: bad value'))

    // When it is updated again
    await assert.rejects(updateCluster(w.deps('update'), w.driver, w.store.peek(NAME)!, {options: options(), storedOptions: {}}), /bad value/)

    // Then it is Error still: a refusal proves nothing about the failure before it
    const stored = w.store.peek(NAME)!
    assert.deepEqual([stored.status, stored.reason], ['Error', 'driver fake: bad value'])
  })

  it('refuses to create over a Running cluster before calling the driver', async () => {
    // Given a Running cluster
    const w = world()
    await running(w)
    const before = w.driver.calls.length

    // When it is created again
    const attempt = createLocked(w.deps(), w.driver, createRequest())

    // Then CLUSTER_EXISTS (exit 4) says how to change it, the driver is not called, the record is unchanged
    await assert.rejects(attempt, (error: unknown) => error instanceof KeError && error.keCode === 'CLUSTER_EXISTS' && error.exitCode === 4 && /already exists and its status is Running/.test(error.message))
    assert.equal(w.driver.calls.length, before)
    assert.equal(w.store.peek(NAME)!.status, 'Running')
  })

  it('refuses `create` on a cluster whose update failed (Error after Updating): that is not an unfinished create', async () => {
    // Given a cluster whose update failed
    const w = world()
    const cluster = await running(w)
    w.driver.failNext('update')
    await assert.rejects(updateCluster(w.deps('update'), w.driver, cluster, {options: options(), storedOptions: {}}))

    // When create is run on it (both the early check and the one under the lock)
    const stored = w.store.peek(NAME)!

    // Then both refuse it with CLUSTER_EXISTS, by the same rule
    assert.equal(isUnfinishedCreate(stored), false)
    assert.throws(() => assertCreatable(stored), /already exists and its status is Error/)
    await assert.rejects(beginCreate(w.deps(), createRequest()), /already exists and its status is Error/)
  })

  it('refuses `create` on a cluster a killed update left at Post-Checking', async () => {
    // Given a record whose last start was an update, stopped during its PostCheck
    const w = world()
    const cluster = await running(w)
    await w.store.save({...cluster, status: 'Post-Checking', history: [...cluster.history, {at: '', status: 'Updating', command: 'update'}, {at: '', status: 'Post-Checking', command: 'update'}]})

    // Then create refuses it
    await assert.rejects(beginCreate(w.deps(), createRequest()), /already exists and its status is Post-Checking/)
  })

  it('refuses to update a cluster whose create never returned info', async () => {
    // Given a record stopped at Creating without info
    const w = world()
    const begun = await beginCreate(w.deps(), createRequest())

    // When it is updated
    const attempt = updateCluster(w.deps('update'), w.driver, begun, {options: options(), storedOptions: {}})

    // Then CLUSTER_INCOMPLETE says to retry the create; the driver is not called
    await assert.rejects(attempt, (error: unknown) => error instanceof KeError && error.keCode === 'CLUSTER_INCOMPLETE')
    assert.deepEqual(w.driver.calls, [])
  })

  it('lets Running move to Error but never back to a create status', async () => {
    // Given a Running cluster
    const w = world()
    const cluster = await running(w)

    // When the create runbook is run on it directly
    const attempt = createCluster(w.deps(), w.driver, cluster, createRequest())

    // Then the lifecycle refuses Running -> Pre-Creating before any driver call
    await assert.rejects(attempt, /Running -> Pre-Creating is not allowed/)
    assert.deepEqual(w.driver.methods, ['create', 'postCheck'])
  })
})

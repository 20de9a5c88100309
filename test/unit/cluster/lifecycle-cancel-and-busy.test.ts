// Issue 19: an interruption (the supervisor's AbortSignal) mid-Create leaves an honest, resumable
// record; a cluster locked by another command is refused with CLUSTER_BUSY (exit 4) and left alone.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {loadCurrent} from '../../../src/cluster/live-status.js'
import {beginCreate, createLocked} from '../../../src/cluster/lifecycle.js'
import {asStopped, isUnfinishedCreate} from '../../../src/cluster/status.js'
import {KeError} from '../../../src/errors.js'
import {FakeDriver, fakeInfo} from '../../support/fake-driver.js'
import {createRequest, NAME, world} from '../../support/lifecycle.js'

function isKe(code: string, exit?: number) {
  return (error: unknown) => error instanceof KeError && error.keCode === code && (exit === undefined || error.exitCode === exit)
}

describe('lifecycle › cancellation', () => {
  it('records Error "interrupted" when the create is interrupted during Create, and lets create retry it', async () => {
    // Given a Create that runs until ke is interrupted
    const w = world()
    w.driver.hangNext('create')
    const creating = createLocked(w.deps(), w.driver, createRequest())

    // When the interruption comes while Create runs
    await w.driver.called('create')
    const during = w.store.peek(NAME)!
    w.interrupt.abort('SIGINT')

    // Then the create fails CANCELLED, the record went Creating -> Error "interrupted", and a create may retry it
    await assert.rejects(creating, isKe('CANCELLED'))
    const stored = w.store.peek(NAME)!
    assert.equal(during.status, 'Creating')
    assert.deepEqual([stored.status, stored.reason, isUnfinishedCreate(stored)], ['Error', 'interrupted', true])
    assert.deepEqual(w.driver.methods, ['create'])
  })

  it('starts no PostCheck after an interruption that came as Create returned, and keeps the info', async () => {
    // Given a Create that returns just as ke is interrupted
    const w = world()
    w.driver.next('create', async () => {
      w.interrupt.abort('SIGTERM')
      return fakeInfo()
    })

    // When the cluster is created
    const attempt = createLocked(w.deps(), w.driver, createRequest())

    // Then it stops with CANCELLED (exit 143) before PostCheck, the info saved in an Error record
    await assert.rejects(attempt, isKe('CANCELLED', 143))
    const stored = w.store.peek(NAME)!
    assert.deepEqual(w.driver.methods, ['create'])
    assert.deepEqual([stored.status, stored.reason, stored.info], ['Error', 'interrupted', fakeInfo()])
  })

  it('retries an interrupted create with the info it kept', async () => {
    // Given a create interrupted after Create returned
    const w = world()
    w.driver.next('create', async () => {
      w.interrupt.abort('SIGINT')
      return fakeInfo()
    })
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()))

    // When a later ke (not interrupted, with its own driver) creates it again
    const later = new FakeDriver()
    const again = await createLocked({...w.deps(), signal: new AbortController().signal}, later, createRequest())

    // Then its Create got the kept info and the cluster is Running
    assert.deepEqual([later.callsOf('create')[0].args[1], again.cluster.status], [fakeInfo(), 'Running'])
  })

  it('releases the lock when the create is interrupted', async () => {
    // Given an interrupted create
    const w = world()
    w.driver.hangNext('create')
    const creating = createLocked(w.deps(), w.driver, createRequest())
    await w.driver.called('create')
    w.interrupt.abort('SIGINT')
    await assert.rejects(creating)

    // Then nobody holds the cluster
    assert.equal(await w.store.isHeldByLiveHolder(NAME), false)
  })

  it('shows a record left in flight with no holder as Error, and one with a live holder as it is', async () => {
    // Given a record at Creating
    const w = world()
    const begun = await beginCreate(w.deps(), createRequest())
    await w.store.save({...begun, status: 'Creating'})

    // When it is read with no holder, then with one
    const alone = await loadCurrent(w.store, NAME)
    const release = await w.store.lock(NAME, 'ke create c1')
    const held = await loadCurrent(w.store, NAME)
    await release()

    // Then the first reads as interrupted, the second as Creating
    assert.deepEqual([alone.status, alone.reason], ['Error', 'interrupted: the ke running it stopped during Creating'])
    assert.equal(held.status, 'Creating')
    assert.equal(asStopped(held, true).status, 'Creating')
  })
})

describe('lifecycle › busy lock', () => {
  it('refuses a create while another command holds the cluster: CLUSTER_BUSY, exit 4, naming it', async () => {
    // Given a Running cluster held by another command
    const w = world()
    await createLocked(w.deps(), w.driver, createRequest())
    const before = w.store.peek(NAME)
    const release = await w.store.lock(NAME, 'ke update c1')

    // When it is created again
    const attempt = createLocked(w.deps(), w.driver, createRequest())

    // Then CLUSTER_BUSY (exit 4) names the holder; no driver call, nothing written
    await assert.rejects(attempt, (error: unknown) => isKe('CLUSTER_BUSY', 4)(error) && /busy \(ke update c1\)/.test((error as Error).message))
    assert.deepEqual(w.driver.methods, ['create', 'postCheck'])
    assert.deepEqual(w.store.peek(NAME), before)
    await release()
  })

  it('turns a second create away while the first runs, and the first still finishes', async () => {
    // Given a create whose Create is under way
    const w = world()
    let finish: () => void = () => {}
    w.driver.next('create', () => new Promise((resolve) => (finish = () => resolve(fakeInfo()))))
    const first = createLocked(w.deps(), w.driver, createRequest())
    await w.driver.called('create')

    // When a second create of the same cluster starts
    const second = createLocked(w.deps(), w.driver, createRequest())

    // Then it is busy at once (no second Create), and the first ends Running
    await assert.rejects(second, isKe('CLUSTER_BUSY', 4))
    assert.equal(w.driver.callsOf('create').length, 1)
    finish()
    assert.equal((await first).cluster.status, 'Running')
  })

  it('names who holds the lock: the controller\'s create as `ke controller (create NAME)`, the CLI\'s as `ke create NAME`', async () => {
    for (const [holder, named] of [['ke controller', 'ke controller (create c1)'], ['create', 'ke create c1']]) {
      // Given a create under way, run by the controller or by the CLI
      const w = world()
      let finish: () => void = () => {}
      w.driver.next('create', () => new Promise((resolve) => (finish = () => resolve(fakeInfo()))))
      const first = createLocked(w.deps(holder), w.driver, createRequest())
      await w.driver.called('create')

      // When the CLI creates it too, Then the busy message names that holder
      await assert.rejects(createLocked(w.deps('create'), w.driver, createRequest()), (error: unknown) => {
        assert.ok(isKe('CLUSTER_BUSY', 4)(error))
        assert.ok((error as Error).message.includes(`busy (${named})`), (error as Error).message)
        return true
      })
      finish()
      await first
    }
  })

  it('frees the lock after a create succeeds and after one fails', async () => {
    // Given a create that fails, then one that succeeds
    const w = world()
    w.driver.failNext('create')
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()))
    const freeAfterFailure = !(await w.store.isHeldByLiveHolder(NAME))
    await createLocked(w.deps(), w.driver, createRequest())

    // Then after each, nobody holds the cluster
    assert.deepEqual([freeAfterFailure, await w.store.isHeldByLiveHolder(NAME)], [true, false])
  })

  it('answers the early busy check without taking the lock', async () => {
    // Given a cluster held by another command
    const w = world()
    const release = await w.store.lock(NAME, 'ke rm c1')

    // Then the early check refuses it, and after release passes
    await assert.rejects(w.store.assertNotBusy(NAME), isKe('CLUSTER_BUSY', 4))
    await release()
    await w.store.assertNotBusy(NAME)
  })
})

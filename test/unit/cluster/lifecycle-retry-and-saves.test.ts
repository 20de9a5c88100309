// Issue 19: retry and resume rules, and what is in the store at the moment each risky driver call is
// made (a crash during the call leaves exactly that), in process with a memory store and a fake driver.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {beginCreate, createLocked, updateCluster} from '../../../src/cluster/lifecycle.js'
import {removeCluster} from '../../../src/cluster/operations.js'
import {KeError} from '../../../src/errors.js'
import type {ClusterInfo, DriverOptions} from '../../../src/protocol/types.js'
import {fakeInfo} from '../../support/fake-driver.js'
import {createRequest, NAME, options, world} from '../../support/lifecycle.js'

describe('lifecycle › what is saved before each risky call', () => {
  it('has the record at Creating, with its options and no info, while Create runs', async () => {
    // Given an empty store
    const w = world()

    // When a cluster is created
    await createLocked(w.deps(), w.driver, createRequest())

    // Then at Create the store held Creating, the options to store, and no info yet
    const [create] = w.driver.callsOf('create')
    assert.deepEqual([create.stored?.status, create.stored?.options, create.stored?.info], ['Creating', {region: 'eu', 'node-count': 3}, undefined])
  })

  it("has Create's info saved, at Post-Checking, while PostCheck runs", async () => {
    // Given an empty store
    const w = world()

    // When a cluster is created
    await createLocked(w.deps(), w.driver, createRequest())

    // Then at PostCheck the store held Post-Checking and the info Create returned
    const [postCheck] = w.driver.callsOf('postCheck')
    assert.deepEqual([postCheck.stored?.status, postCheck.stored?.info], ['Post-Checking', fakeInfo()])
  })

  it('has the record at Updating, with the info from before, while Update runs; the new info before PostCheck', async () => {
    // Given a Running cluster
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())

    // When it is updated to 5 nodes
    await updateCluster(w.deps('update'), w.driver, cluster, {options: options({intOptions: {'node-count': 5}}), storedOptions: {'node-count': 5}})

    // Then Update saw Updating with the old info; PostCheck saw the info Update returned and the new option stored
    const [update] = w.driver.callsOf('update')
    const postCheck = w.driver.callsOf('postCheck')[1]
    assert.deepEqual([update.stored?.status, update.stored?.info?.nodeCount], ['Updating', 3])
    assert.deepEqual([postCheck.stored?.status, postCheck.stored?.info?.nodeCount, postCheck.stored?.options['node-count']], ['Post-Checking', 5, 5])
  })

  it('keeps the record while Remove runs and drops it only after the driver removed the cluster', async () => {
    // Given a Running cluster
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())

    // When it is removed
    const outcome = await removeCluster(w.deps('rm'), w.driver, cluster, false)

    // Then Remove got the stored info while the record was still there, saved Removing, and the record is gone after
    const [remove] = w.driver.callsOf('remove')
    assert.deepEqual([remove.stored?.status, remove.args[0], outcome.driverRemoved, w.store.peek(NAME)], ['Removing', cluster.info, true, undefined])
  })

  it('keeps the record when Remove fails, and says `ke rm -f` drops it', async () => {
    // Given a Running cluster and a driver whose Remove fails
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
    w.driver.failNext('remove')

    // When it is removed without --force
    const attempt = removeCluster(w.deps('rm'), w.driver, cluster, false)

    // Then the error carries the -f hint and the record is kept as Error with the driver's message
    await assert.rejects(attempt, (error: unknown) => error instanceof KeError && /ke rm -f c1/.test(error.hint ?? ''))
    const stored = w.store.peek(NAME)!
    assert.deepEqual([stored.status, stored.reason, stored.info], ['Error', 'driver fake failed remove: boom', cluster.info])
    assert.deepEqual(stored.history.slice(-2).map((entry) => [entry.status, entry.command]), [['Removing', 'rm'], ['Error', 'rm']])
  })

  it('drops the record with --force when Remove fails, warning that cloud resources may remain', async () => {
    // Given a Running cluster and a driver whose Remove fails
    const w = world()
    const {cluster} = await createLocked(w.deps(), w.driver, createRequest())
    w.driver.failNext('remove')

    // When it is removed with --force
    const outcome = await removeCluster(w.deps('rm'), w.driver, cluster, true)

    // Then the record is gone and the outcome says what may remain
    assert.equal(w.store.peek(NAME), undefined)
    assert.match(outcome.warning ?? '', /driver failed Remove .*cloud resources may remain/)
  })
})

describe('lifecycle › retry and resume', () => {
  it('retries a failed create with the stored info and options, and the stored metadata as options', async () => {
    // Given a create whose PostCheck failed after Create returned info
    const w = world()
    w.driver.failNext('postCheck')
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()))
    const stored = w.store.peek(NAME)!

    // When it is created again, with nothing given on the command line beyond the stored options
    const retried = await createLocked(w.deps(), w.driver, createRequest())

    // Then the second Create got the stored info, the options, and each metadata key as a string option
    const [, second] = w.driver.callsOf('create')
    const [sent, info] = second.args as [DriverOptions, ClusterInfo]
    assert.deepEqual(info, stored.info)
    assert.deepEqual(sent.stringOptions, {region: 'eu', name: NAME, displayName: NAME, state: '{"id":"fake-1","region":"eu"}', zone: 'eu-1a'})
    assert.deepEqual(sent.intOptions, {'node-count': 3})
    assert.deepEqual([retried.retried, retried.cluster.status], [true, 'Running'])
  })

  it('gives a flag given on the retry precedence over a stored metadata key of the same name', async () => {
    // Given a create that failed after Create returned metadata with `zone`
    const w = world()
    w.driver.failNext('postCheck')
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()))

    // When it is retried with zone given
    await createLocked(w.deps(), w.driver, createRequest({options: options({stringOptions: {region: 'eu', zone: 'eu-1b'}})}))

    // Then the driver got the given zone
    const [, second] = w.driver.callsOf('create')
    assert.equal((second.args[0] as DriverOptions).stringOptions.zone, 'eu-1b')
  })

  it('retries a create that failed before Create returned as a first create (no info sent)', async () => {
    // Given a create whose Create call failed
    const w = world()
    w.driver.failNext('create')
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()))

    // When it is created again
    const again = await createLocked(w.deps(), w.driver, createRequest())

    // Then the second Create got no info, and the record goes Error -> Pre-Creating -> ... -> Running
    const [, second] = w.driver.callsOf('create')
    assert.equal(second.args[1], undefined)
    assert.equal(again.retried, false)
    assert.deepEqual(w.store.peek(NAME)!.history.map((entry) => entry.status).slice(3), ['Error', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'])
  })

  it('resumes a record a killed ke left at Creating: recorded as Error "interrupted", then retried', async () => {
    // Given a record at Creating with info and nobody holding its lock (its ke was killed)
    const w = world()
    const begun = await beginCreate(w.deps(), createRequest())
    await w.store.save({...begun, status: 'Creating', info: fakeInfo(), history: [...begun.history, {at: '', status: 'Pre-Creating', command: 'create'}, {at: '', status: 'Creating', command: 'create'}]})

    // When it is created again
    await createLocked(w.deps(), w.driver, createRequest())

    // Then the history records the interruption before the retry, and Create got the info
    const history = w.store.peek(NAME)!.history
    assert.deepEqual(history.slice(3, 5).map((entry) => [entry.status, entry.reason]), [
      ['Error', 'interrupted'],
      ['Pre-Creating', undefined],
    ])
    assert.deepEqual(w.driver.callsOf('create')[0].args[1], fakeInfo())
  })

  it('keeps the displayName of the first create on a retry that gives none', async () => {
    // Given a create with a display name that failed at PostCheck
    const w = world()
    w.driver.failNext('postCheck')
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest({displayName: 'Team A'})))

    // When it is retried without one
    await createLocked(w.deps(), w.driver, createRequest())

    // Then the driver got the stored display name again
    const [, second] = w.driver.callsOf('create')
    assert.equal((second.args[0] as DriverOptions).stringOptions.displayName, 'Team A')
  })

  it('leaves no record when the driver refuses the options of a first create', async () => {
    // Given a driver that refuses the options
    const w = world()
    w.driver.failNext('create', new KeError('BAD_ARGUMENT', 'region "mars" is not a region'))

    // When a cluster is created
    await assert.rejects(createLocked(w.deps(), w.driver, createRequest()), /mars/)

    // Then nothing is stored
    assert.equal(w.store.peek(NAME), undefined)
  })
})

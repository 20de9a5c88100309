// `ke store migrate`'s rules (src/store/migrate.ts), specified against memory stores: every record moved
// verbatim, idempotent, a different record at the destination never overwritten, the source kept unless
// asked, removed only once the copy reads back the same, busy clusters left alone, history trimming said.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {KeError} from '../../../src/errors.js'
import {emptyClusterInfo} from '../../../src/protocol/types.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {aClusterRecord} from '../../support/records.js'
import {MemoryStore} from '../../../src/store/memory-store.js'
import {differingFields, migrateRecords, type MigrateOutcome} from '../../../src/store/migrate.js'

function aRecord(name: string, changes: Partial<ClusterRecord> = {}): ClusterRecord {
  const at = '2026-11-30T10:00:00.000Z'
  return aClusterRecord(name, {
    at,
    updatedAt: '2026-11-30T10:05:00.000Z',
    options: {region: 'eu-1', 'node-count': 3, 'access-key': `key-of-${name}`},
    keyStyle: 'both',
    info: {...emptyClusterInfo(), endpoint: `https://${name}.example:6443`, version: 'v1.32.1', nodeCount: 3, serviceAccountToken: `token-${name}`, metadata: {state: `{"id":"${name}"}`}},
    history: [
      {at, status: 'Creating', command: 'create'},
      {at, status: 'Running', command: 'create'},
    ],
    ...changes,
  })
}

async function storeWith(...records: ClusterRecord[]): Promise<MemoryStore> {
  const store = new MemoryStore()
  for (const record of records) await store.put(record)
  return store
}

/** A store that keeps only the newest `limit` history entries, as the Kubernetes store does. */
class ShortHistoryStore extends MemoryStore {
  constructor(readonly historyLimit: number) {
    super()
  }

  async put(record: ClusterRecord): Promise<ClusterRecord> {
    return super.put({...record, history: record.history.slice(-this.historyLimit)})
  }
}

/** A stand-in for a store that loses a field on the way in: what migrate must catch by reading back. */
class LossyStore extends MemoryStore {
  async put(record: ClusterRecord): Promise<ClusterRecord> {
    const {displayName: _lost, ...rest} = record
    return super.put(rest)
  }
}

const side = (store: MemoryStore, label: string) => ({store, label})
const summary = (outcomes: MigrateOutcome[]) => outcomes.map((o) => [o.name, o.result, o.result === 'refused' ? o.error.keCode : o.sourceDeleted])

describe('store migrate', () => {
  it('moves every record verbatim (updatedAt and schemaVersion included) and keeps the source', async () => {
    // Given a source with three records and an empty destination
    const records = [aRecord('a'), aRecord('b', {status: 'Error', reason: 'quota exceeded', displayName: 'B'}), aRecord('c', {info: undefined, status: 'Init'})]
    const source = await storeWith(...records)
    const destination = new MemoryStore()

    // When they are migrated
    const outcomes = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})

    // Then each is migrated, the destination holds each exactly, and the source still does
    assert.deepEqual(summary(outcomes), [['a', 'migrated', false], ['b', 'migrated', false], ['c', 'migrated', false]])
    for (const record of records) {
      assert.deepEqual(destination.peek(record.name), record)
      assert.deepEqual(source.peek(record.name), record)
    }
  })

  it('is idempotent: a second run finds every record already there and changes nothing', async () => {
    // Given records migrated once
    const source = await storeWith(aRecord('a'), aRecord('b'))
    const destination = new MemoryStore()
    await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})

    // When migrated again
    const again = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})

    // Then both are already there
    assert.deepEqual(summary(again), [['a', 'already there', false], ['b', 'already there', false]])
    assert.deepEqual(destination.peek('a'), aRecord('a'))
  })

  it('refuses to overwrite a different record at the destination, names how it differs, and still moves the others', async () => {
    // Given a destination that holds another record of b
    const source = await storeWith(aRecord('a'), aRecord('b'), aRecord('c'))
    const theirs = aRecord('b', {status: 'Error', reason: 'theirs', info: {...aRecord('b').info!, serviceAccountToken: 'their-token'}})
    const destination = await storeWith(theirs)

    // When every record is migrated with --delete-source
    const outcomes = await migrateRecords(side(source, 'file'), side(destination, 'kubernetes:ctx/ns'), {command: 'ke store migrate', deleteSource: true})

    // Then b is refused (exit 4) naming the fields, theirs is untouched, and b stays in the source
    assert.deepEqual(summary(outcomes), [['a', 'migrated', true], ['b', 'refused', 'CLUSTER_EXISTS'], ['c', 'migrated', true]])
    const refused = outcomes[1] as Extract<MigrateOutcome, {result: 'refused'}>
    assert.equal(refused.error.exitCode, 4)
    assert.equal(refused.error.message, 'kubernetes:ctx/ns already has a different record of b (it differs in info, reason, status); nothing was overwritten')
    assert.ok(!refused.error.message.includes('their-token') && !refused.error.hint?.includes('their-token'), 'no value is shown')
    assert.deepEqual(destination.peek('b'), theirs)
    assert.deepEqual(source.peek('b'), aRecord('b'))
    assert.deepEqual([source.peek('a'), source.peek('c')], [undefined, undefined])
  })

  it('with deleteSource removes each source record once the destination holds it, also one already there', async () => {
    // Given a record already at the destination and one not
    const source = await storeWith(aRecord('a'), aRecord('b'))
    const destination = await storeWith(aRecord('a'))

    // When migrated with deleteSource
    const outcomes = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate', deleteSource: true})

    // Then both are gone from the source and held by the destination
    assert.deepEqual(summary(outcomes), [['a', 'already there', true], ['b', 'migrated', true]])
    assert.deepEqual(await source.list(), [])
    assert.deepEqual([destination.peek('a'), destination.peek('b')], [aRecord('a'), aRecord('b')])
  })

  it('keeps the source and takes its copy away when the destination does not read back what was written', async () => {
    // Given a destination that loses displayName
    const source = await storeWith(aRecord('a', {displayName: 'Team A'}), aRecord('b'))
    const destination = new LossyStore()

    // When migrated with deleteSource
    const outcomes = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate', deleteSource: true})

    // Then a is refused, no copy of it is left, and the source keeps it; b (no displayName) moves
    assert.deepEqual(summary(outcomes), [['a', 'refused', 'STATE_UNREADABLE'], ['b', 'migrated', true]])
    assert.match((outcomes[0] as {error: KeError}).error.message, /^a was written to dst but it read back different in displayName; that copy was removed and the source kept$/)
    assert.equal(destination.peek('a'), undefined)
    assert.deepEqual(source.peek('a'), aRecord('a', {displayName: 'Team A'}))
  })

  it('leaves a busy cluster (locked at the source or the destination) alone with exit 4 and moves the rest', async () => {
    // Given a source where a is locked by a running command, and a destination where c is
    const source = await storeWith(aRecord('a'), aRecord('b'), aRecord('c'))
    const destination = new MemoryStore()
    const releaseA = await source.lock('a', 'ke create a')
    const releaseC = await destination.lock('c', 'ke update c')

    // When everything is migrated
    const outcomes = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate', deleteSource: true})

    // Then a and c are refused as busy, naming the holder; b moved; a and c stay in the source
    assert.deepEqual(summary(outcomes), [['a', 'refused', 'CLUSTER_BUSY'], ['b', 'migrated', true], ['c', 'refused', 'CLUSTER_BUSY']])
    assert.deepEqual(
      outcomes.flatMap((o) => (o.result === 'refused' ? [[o.error.message, o.error.exitCode]] : [])),
      [['cluster a is busy (ke create a)', 4], ['cluster c is busy (ke update c)', 4]],
    )
    assert.deepEqual([source.peek('a'), source.peek('c'), destination.peek('a'), destination.peek('c')], [aRecord('a'), aRecord('c'), undefined, undefined])
    // and the locks migrate took are released: the holders' are theirs alone
    await releaseA()
    await releaseC()
    assert.deepEqual([await source.isHeldByLiveHolder('b'), await destination.isHeldByLiveHolder('b')], [false, false])
  })

  it('holds the source and destination locks while it moves a record', async () => {
    // Given a destination that notes, at each write, whether both locks were held
    const source = await storeWith(aRecord('a'))
    const held: boolean[] = []
    class Watching extends MemoryStore {
      async put(record: ClusterRecord): Promise<ClusterRecord> {
        held.push((await source.isHeldByLiveHolder(record.name)) && (await this.isHeldByLiveHolder(record.name)))
        return super.put(record)
      }
    }
    const destination = new Watching()

    // When a is migrated
    await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})

    // Then both were held at the write, and neither is afterwards
    assert.deepEqual(held, [true])
    assert.deepEqual([await source.isHeldByLiveHolder('a'), await destination.isHeldByLiveHolder('a')], [false, false])
  })

  it('says when the destination keeps fewer history entries, and counts such a record as already there next time', async () => {
    // Given a record with 8 history entries and a destination that keeps 5
    const history = Array.from({length: 8}, (_, i) => ({at: `2026-11-30T10:0${i}:00.000Z`, status: 'Running' as const, command: `update ${i}`}))
    const source = await storeWith(aRecord('long', {history}))
    const destination = new ShortHistoryStore(5)

    // When migrated twice
    const first = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})
    const second = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate'})

    // Then the newest 5 are kept, and both runs say the history was trimmed
    assert.deepEqual(first, [{name: 'long', result: 'migrated', historyTrimmed: {kept: 5, of: 8}, sourceDeleted: false}])
    assert.deepEqual(second, [{name: 'long', result: 'already there', historyTrimmed: {kept: 5, of: 8}, sourceDeleted: false}])
    assert.deepEqual(destination.peek('long')!.history, history.slice(3))
  })

  it('moves only the names given, and reports a name the source does not have (exit 3)', async () => {
    // Given a source with a, b and c
    const source = await storeWith(aRecord('a'), aRecord('b'), aRecord('c'))
    const destination = new MemoryStore()

    // When c and nope are migrated
    const outcomes = await migrateRecords(side(source, 'src'), side(destination, 'dst'), {command: 'ke store migrate', names: ['c', 'nope']})

    // Then c moved, nope is not found, a and b stayed where they were
    assert.deepEqual(summary(outcomes), [['c', 'migrated', false], ['nope', 'refused', 'CLUSTER_NOT_FOUND']])
    assert.equal((outcomes[1] as {error: KeError}).error.exitCode, 3)
    assert.deepEqual((await destination.list()).map((s) => s.name), ['c'])
  })

  it('compares records as JSON holds them: a field set to undefined equals a missing one', () => {
    assert.deepEqual(differingFields(aRecord('a', {reason: undefined}), aRecord('a')), [])
    assert.deepEqual(differingFields(aRecord('a', {options: {region: 'us'}}), aRecord('a', {keyStyle: undefined})), ['keyStyle', 'options'])
  })
})

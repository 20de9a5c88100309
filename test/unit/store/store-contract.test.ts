// The ClusterStore contract (src/store/cluster-store.ts), one suite run on every store the lifecycle may
// receive: the file store in a temporary KE_HOME and the memory store the specifications use. A new
// store (issue 15's Kubernetes one) joins by adding a line to STORES.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, it} from 'node:test'
import {emptyClusterInfo} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {aClusterRecord} from '../../support/records.js'
import {isUnreadable, type ClusterStore} from '../../../src/store/cluster-store.js'
import {FileStore} from '../../../src/store/file/file-store.js'
import {MemoryStore} from '../../../src/store/memory-store.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

const STORES: Array<[string, () => ClusterStore]> = [
  [
    'file store',
    () => {
      const home = mkdtempSync(join(tmpdir(), 'ke-store-contract-'))
      cleanups.push(() => rmSync(home, {recursive: true, force: true}))
      return new FileStore(home)
    },
  ],
  ['memory store', () => new MemoryStore()],
]

function record(name: string, changes: Partial<ClusterRecord> = {}): ClusterRecord {
  return aClusterRecord(name, {
    at: '2024-01-01T00:00:00.000Z',
    schemaVersion: 0,
    options: {region: 'eu'},
    info: {...emptyClusterInfo(), endpoint: 'https://10.0.0.1', version: '1.30', nodeCount: 3, serviceAccountToken: 'token-1234'},
    ...changes,
  })
}

function isKe(code: string, exit?: number) {
  return (error: unknown) => error instanceof KeError && error.keCode === code && (exit === undefined || error.exitCode === exit)
}

for (const [kind, make] of STORES) {
  describe(`store contract › ${kind}`, () => {
    it('saves a record whole and loads it back, stamping schemaVersion and updatedAt', async () => {
      // Given a store
      const store = make()

      // When a record is saved and loaded
      const saved = await store.save(record('c1'))
      const loaded = await store.load('c1')

      // Then what was saved comes back, stamped
      assert.deepEqual(loaded, saved)
      assert.deepEqual([saved.schemaVersion, saved.updatedAt === '2024-01-01T00:00:00.000Z', saved.info?.serviceAccountToken], [1, false, 'token-1234'])
    })

    it('puts a record as given (schemaVersion and updatedAt untouched) and loads it back the same', async () => {
      // Given a store and a record stamped long ago
      const store = make()
      const given = record('c1', {schemaVersion: 1, displayName: 'Team', reason: 'why', keyStyle: 'camel'})

      // When it is put and loaded
      const put = await store.put(given)
      const loaded = await store.load('c1')

      // Then it comes back as given, nothing stamped
      assert.deepEqual([put, loaded], [given, given])
    })

    it('delete with keepLog removes the record but leaves this machine\'s driver log', async () => {
      // Given a record beside its driver log (the memory store writes no log: its path stays empty)
      const store = make()
      await store.save(record('c1'))
      const log = store.logPath('c1')
      if (store.kind === 'file') writeFileSync(log, 'the driver said\n')

      // When it is deleted keeping the log
      await store.delete('c1', {keepLog: true})

      // Then the record is gone, the log is not, and the store lists nothing
      assert.equal(await store.exists('c1'), false)
      assert.deepEqual(await store.list(), [])
      assert.equal(existsSync(log) && readFileSync(log, 'utf8'), store.kind === 'file' ? 'the driver said\n' : false)
    })

    it('says whether a record exists, forgets it on delete, and deletes twice without complaint', async () => {
      // Given a saved record
      const store = make()
      await store.save(record('c1'))
      const existed = await store.exists('c1')

      // When it is deleted twice
      await store.delete('c1')
      await store.delete('c1')

      // Then it existed and no longer does; loading it is CLUSTER_NOT_FOUND (exit 3)
      assert.deepEqual([existed, await store.exists('c1')], [true, false])
      await assert.rejects(store.load('c1'), isKe('CLUSTER_NOT_FOUND', 3))
    })

    it('lists summaries sorted by name', async () => {
      // Given two records saved out of order
      const store = make()
      await store.save(record('b'))
      await store.save(record('a', {status: 'Error', reason: 'quota'}))

      // When listed
      const entries = await store.list()

      // Then both come sorted, with what `ke ls` shows
      assert.deepEqual(
        entries.map((entry) => (isUnreadable(entry) ? entry : [entry.name, entry.status, entry.reason, entry.info?.endpoint])),
        [
          ['a', 'Error', 'quota', 'https://10.0.0.1'],
          ['b', 'Running', undefined, 'https://10.0.0.1'],
        ],
      )
    })

    it('refuses a name that is not a cluster name with BAD_NAME', async () => {
      // Then loading, saving and locking `../x` are refused
      const store = make()
      await assert.rejects(store.load('../x'), isKe('BAD_NAME'))
      await assert.rejects(store.save(record('../x')), isKe('BAD_NAME'))
      await assert.rejects(store.lock('../x', 'ke create ../x'), isKe('BAD_NAME'))
    })

    it('lets one holder have a lock: a second is CLUSTER_BUSY (exit 4) naming the first', async () => {
      // Given a lock held by `ke create c1`
      const store = make()
      const release = await store.lock('c1', 'ke create c1')

      // When another command asks for it, or only checks it, then both are busy, naming the holder
      await assert.rejects(store.lock('c1', 'ke rm c1'), (error: unknown) => isKe('CLUSTER_BUSY', 4)(error) && /ke create c1/.test((error as Error).message))
      await assert.rejects(store.assertNotBusy('c1'), isKe('CLUSTER_BUSY', 4))

      // And the holder counts as live
      assert.equal(await store.isHeldByLiveHolder('c1'), true)
      await release()
    })

    it('frees a lock on release (idempotent), and locks of different clusters do not meet', async () => {
      // Given locks on two clusters
      const store = make()
      const first = await store.lock('c1', 'ke create c1')
      const other = await store.lock('c2', 'ke create c2')

      // When the first is released twice
      await first()
      await first()

      // Then it can be taken again, and nobody holds it after that release
      const again = await store.lock('c1', 'ke update c1')
      await again()
      await other()
      assert.deepEqual([await store.isHeldByLiveHolder('c1'), await store.isHeldByLiveHolder('c2')], [false, false])
      await store.assertNotBusy('c1')
    })
  })
}

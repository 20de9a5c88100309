// Clusters on disk in a real temporary KE_HOME: round trips, private modes, and what happens to files
// ke cannot read or that a newer ke wrote.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {KeError} from '../../../src/errors.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {aClusterRecord} from '../../support/records.js'
import {isUnreadable} from '../../../src/store/cluster-store.js'
import {FileStore} from '../../../src/store/file/file-store.js'
import {validateClusterName} from '../../../src/store/names.js'
import {emptyClusterInfo} from '../../../src/protocol/types.js'

let home: string
let store: FileStore

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ke-store-unit-'))
  store = new FileStore(home)
})

afterEach(() => rmSync(home, {recursive: true, force: true}))

function record(name: string, changes: Partial<ClusterRecord> = {}): ClusterRecord {
  return aClusterRecord(name, {
    at: '2024-01-01T00:00:00.000Z',
    options: {region: 'us', 'node-count': 3, labels: ['a=1']},
    keyStyle: 'both',
    info: {...emptyClusterInfo(), endpoint: 'https://10.0.0.1', metadata: {state: '{"id":"c-1"}'}},
    ...changes,
  })
}

/** Writes cluster.json by hand, as a damaged or foreign file would be. */
function writeRaw(name: string, text: string): string {
  mkdirSync(join(home, 'clusters', name), {recursive: true})
  const path = join(home, 'clusters', name, 'cluster.json')
  writeFileSync(path, text)
  return path
}

function mode(path: string): number {
  return statSync(path).mode & 0o777
}

function keError(code: string, check: (error: KeError) => void = () => {}) {
  return (error: unknown) => {
    assert.ok(error instanceof KeError, `expected a KeError, got ${String(error)}`)
    assert.equal(error.keCode, code)
    check(error)
    return true
  }
}

describe('file store › saving and loading', () => {
  it('loads back the record it saved', async () => {
    // Given a saved record
    const saved = await store.save(record('c1'))

    // When it is loaded
    const loaded = await store.load('c1')

    // Then it is the saved record, info and metadata included
    assert.deepEqual(loaded, saved)
    assert.deepEqual(loaded.info?.metadata, {state: '{"id":"c-1"}'})
  })

  it('stamps the schema version and a fresh updatedAt on save', async () => {
    // Given a record with an old updatedAt and no current schema version
    const before = Date.now()
    const saved = await store.save(record('c1', {schemaVersion: 0}))

    // Then the file carries the current version and a new time
    const onDisk = JSON.parse(readFileSync(store.recordPath('c1'), 'utf8'))
    assert.equal(onDisk.schemaVersion, 1)
    assert.ok(Date.parse(saved.updatedAt) >= before, saved.updatedAt)
  })

  it('writes cluster.json 0600 in directories 0700', async () => {
    // When a record is saved
    await store.save(record('c1'))

    // Then the file is private to the user, and so are the directories
    assert.deepEqual(
      [mode(store.recordPath('c1')), mode(store.clusterDir('c1')), mode(store.clustersDir)],
      [0o600, 0o700, 0o700],
    )
  })

  it('says whether a cluster exists and forgets it on delete', async () => {
    // Given a saved record
    await store.save(record('c1'))
    const existed = await store.exists('c1')

    // When it is deleted
    await store.delete('c1')

    // Then it existed before and not after
    assert.deepEqual([existed, await store.exists('c1')], [true, false])
  })

  it('throws CLUSTER_NOT_FOUND for a cluster it never saved', async () => {
    // Then loading an unknown name is "not found"
    await assert.rejects(() => store.load('nope'), keError('CLUSTER_NOT_FOUND', (error) => assert.equal(error.message, 'cluster nope not found')))
  })
})

describe('file store › unreadable state', () => {
  it('throws STATE_UNREADABLE with the `ke rm -f` hint when cluster.json is not JSON', async () => {
    // Given a torn cluster.json
    writeRaw('c1', '{"name": "c1", "sta')

    // When it is loaded
    // Then the error says so and tells how to drop it
    await assert.rejects(() => store.load('c1'),
      keError('STATE_UNREADABLE', (error) => {
        assert.match(error.message, /^state of c1 is unreadable: cluster.json is not valid JSON/)
        assert.equal(error.hint, 'run `ke rm -f c1` to drop it (cloud resources it made may remain)')
      }),
    )
  })

  it('throws STATE_UNREADABLE when cluster.json names another cluster', async () => {
    // Given a record copied from c2 into c1's directory
    writeRaw('c1', JSON.stringify(record('c2')))

    // Then it is unreadable as c1
    await assert.rejects(() => store.load('c1'), keError('STATE_UNREADABLE', (error) => assert.match(error.message, /names cluster "c2"/)))
  })

  it('throws STATE_FROM_NEWER_KE for a record written with a newer schema', async () => {
    // Given a record of schema 2
    writeRaw('c1', JSON.stringify(record('c1', {schemaVersion: 2})))

    // When it is loaded
    // Then this ke refuses it and says to upgrade
    await assert.rejects(() => store.load('c1'),
      keError('STATE_FROM_NEWER_KE', (error) => {
        assert.equal(error.message, 'state of c1 was written by a newer ke (schema 2, this ke reads 1)')
        assert.equal(error.hint, 'upgrade ke to manage this cluster')
      }),
    )
  })

  it('lists unreadable clusters as entries beside the readable ones, sorted by name', async () => {
    // Given one good record, one broken and one from a newer ke
    await store.save(record('b-good'))
    writeRaw('a-broken', 'not json')
    writeRaw('c-newer', JSON.stringify(record('c-newer', {schemaVersion: 99})))

    // When the store is listed
    const entries = await store.list()

    // Then all three are listed, the two bad ones marked unreadable with the reason
    assert.deepEqual(entries.map((entry) => [entry.name, isUnreadable(entry)]), [
      ['a-broken', true],
      ['b-good', false],
      ['c-newer', true],
    ])
    const newer = entries[2]
    assert.ok(isUnreadable(newer) && newer.unreadable.includes('newer ke'))
  })

  it('lists nothing in a KE_HOME without clusters, and skips directories without cluster.json', async () => {
    // Given no clusters directory
    const empty = await store.list()

    // And then a directory without a record in it
    mkdirSync(join(home, 'clusters', 'half-made'), {recursive: true})

    // Then both listings are empty
    assert.deepEqual([empty, await store.list()], [[], []])
  })
})

describe('file store › cluster names', () => {
  it('accepts lower-case letters, digits and inner dashes up to 63 characters', () => {
    // Then these names are valid as given
    for (const name of ['c', 'my-cluster-1', '0abc', 'a'.repeat(63)]) assert.equal(validateClusterName(name), name)
  })

  it('refuses an empty name', () => {
    // Then the empty name is a BAD_NAME that says it is empty
    assert.throws(() => validateClusterName(''), keError('BAD_NAME', (error) => assert.equal(error.message, 'cluster name "" is empty')))
  })

  it('refuses a name of 64 characters, saying how long it is', () => {
    // Then one character over the limit is a BAD_NAME naming the length
    assert.throws(
      () => validateClusterName('a'.repeat(64)),
      keError('BAD_NAME', (error) => assert.equal(error.message, `cluster name "${'a'.repeat(64)}" is 64 characters long (at most 63)`)),
    )
  })

  it('refuses upper case, path parts, unicode and outer dashes', () => {
    // Then each is a BAD_NAME
    for (const name of ['MyCluster', '../x', 'a/b', 'clüster', '-a', 'a-', 'a_b', 'a b']) {
      assert.throws(() => validateClusterName(name), keError('BAD_NAME'), name)
    }
  })

  it('refuses a path-like name before touching any file', async () => {
    // When a cluster named ../x is loaded and saved
    // Then both fail with BAD_NAME and nothing appears beside KE_HOME
    await assert.rejects(() => store.load('../x'), keError('BAD_NAME'))
    await assert.rejects(() => store.save(record('../x')), keError('BAD_NAME'))
    assert.throws(() => statSync(join(home, 'x')))
  })
})

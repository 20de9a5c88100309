// `ke ls` reads a small index beside the records (src/store/file/list-index.ts) instead of every record.
// Whatever happens to the records between two listings (another command, another ke, an editor, a
// damaged index) the second listing shows what the records say.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {makeHome, runKe, runKeJson} from '../support/ke.js'

const KEY = 'LS-INDEX-CLIENT-KEY-7731'
const TOKEN = 'LS-INDEX-TOKEN-4410'

function writeRecord(home: string, name: string, fields: {status?: string; version?: string; nodeCount?: number} = {}): void {
  const dir = join(home, 'clusters', name)
  mkdirSync(dir, {recursive: true})
  const now = new Date().toISOString()
  const info = {
    version: fields.version ?? 'v1.30.2', serviceAccountToken: TOKEN, endpoint: `https://${name}.invalid`, username: '', password: '',
    rootCaCertificate: '', clientCertificate: '', clientKey: KEY, nodeCount: fields.nodeCount ?? 3, metadata: {}, status: '', createError: '',
  }
  const record = {schemaVersion: 1, name, driver: {ref: 'sample', display: 'sample'}, status: fields.status ?? 'Running', createdAt: now, updatedAt: now, options: {}, info, history: []}
  writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600})
}

async function ls(home: string): Promise<any[]> {
  const result = await runKeJson(['ls', '--json'], {home})
  assert.equal(result.code, 0, result.stderr)
  return result.json
}

const INDEX = (home: string) => join(home, 'clusters', '.ls-index.json')

describe('ke ls with its index', () => {
  let home: string
  let dispose: () => void
  beforeEach(() => {
    ;({home, dispose} = makeHome())
    for (const name of ['alpha', 'beta', 'gamma']) writeRecord(home, name)
  })
  afterEach(() => dispose())

  it('shows a record rewritten after the last listing, even at the same size', async () => {
    assert.deepEqual((await ls(home)).map((row) => row.version), ['v1.30.2', 'v1.30.2', 'v1.30.2'])
    const size = statSync(join(home, 'clusters', 'beta', 'cluster.json')).size
    writeRecord(home, 'beta', {version: 'v1.31.9', nodeCount: 5})
    assert.equal(statSync(join(home, 'clusters', 'beta', 'cluster.json')).size, size)
    writeRecord(home, 'gamma', {version: 'v1.31.9', status: 'Error'})
    const rows = await ls(home)
    assert.deepEqual(rows.map((row) => [row.name, row.version, row.status, row.nodes]), [
      ['alpha', 'v1.30.2', 'Running', 3],
      ['beta', 'v1.31.9', 'Running', 5],
      ['gamma', 'v1.31.9', 'Error', 3],
    ])
  })

  it('shows clusters added and removed since the last listing', async () => {
    await ls(home)
    rmSync(join(home, 'clusters', 'alpha'), {recursive: true})
    writeRecord(home, 'delta')
    assert.deepEqual((await ls(home)).map((row) => row.name), ['beta', 'delta', 'gamma'])
  })

  it('lists the same rows from the index as from the records themselves', async () => {
    const first = await ls(home)
    assert.ok(existsSync(INDEX(home)), 'the first listing wrote the index')
    const fromIndex = await ls(home)
    rmSync(INDEX(home), {force: true})
    const fromRecords = await ls(home)
    assert.deepEqual(fromIndex, first)
    assert.deepEqual(fromRecords, first)
  })

  it('lists correctly past a damaged index', async () => {
    await ls(home)
    writeFileSync(INDEX(home), '{"version": 1, "entries": {"alpha": {"stat": "x", "summary": {"name": "zzz"}}')
    const result = await runKe(['ls'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.deepEqual(result.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]), ['alpha', 'beta', 'gamma'])
  })

  it('reports an unreadable record on every listing, not only the first', async () => {
    writeFileSync(join(home, 'clusters', 'beta', 'cluster.json'), '{"schemaVersion": 1, "name": "beta", tor')
    for (let run = 1; run <= 2; run++) {
      const result = await runKeJson(['ls', '--json'], {home})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.json.find((row: any) => row.name === 'beta').status, 'unreadable', `run ${run}`)
      assert.match(result.stderr, /run `ke rm -f beta`/, `run ${run}`)
    }
  })

  it('keeps no certificate, key or token in the index', async () => {
    await ls(home)
    const index = readFileSync(INDEX(home), 'utf8')
    assert.match(index, /https:\/\/alpha\.invalid/)
    assert.ok(!index.includes(KEY) && !index.includes(TOKEN), 'secrets stay in the records')
    assert.equal(statSync(INDEX(home)).mode & 0o077, 0)
  })
})

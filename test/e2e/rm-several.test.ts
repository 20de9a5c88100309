// Issue 20: `ke rm a b c` tries each name, reports each, and exits with the worst code;
// `--ignore-not-found` (kubectl's name) makes a missing name fine, for clean-up steps in CI.
import assert from 'node:assert/strict'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {scriptDriver} from '../support/fixtures.js'
import {ROOT, clusterExists, makeHome, runKe, runKeJson} from '../support/ke.js'

describe('rm of several names', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  async function created(name: string, driver = 'sample'): Promise<void> {
    const result = await runKe(['create', '--driver', driver, name], {home})
    assert.equal(result.code, 0, result.stderr)
  }

  it('removes every name it can, reports each failure, and exits with the worst code', async () => {
    // Given two clusters, and a third whose driver can no longer start
    await created('good-1')
    await created('good-2')
    const dir = join(home, 'bin')
    mkdirSync(dir)
    const broken = scriptDriver(dir, 'brittle', `exec "${process.execPath}" "${join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')}" "$@"`)
    await created('broken', broken)
    scriptDriver(dir, 'brittle', 'echo "brittle: cannot start" >&2; exit 3')
    // When all of them and a missing one are removed at once
    const result = await runKe(['rm', '-y', 'good-1', 'ghost', 'broken', 'good-2'], {home})
    // Then the good ones are gone, each failure has its line, and the exit is the worst (1 over 3)
    assert.equal(result.code, 1, result.stderr)
    assert.deepEqual(result.stdout.trim().split('\n'), ['Removed good-1', 'Removed good-2'])
    assert.match(result.stderr, /^Error: cluster ghost not found/m)
    assert.match(result.stderr, /^Error: driver .*brittle.*/m)
    assert.match(result.stderr, /^Error: 2 of 4 clusters not removed: ghost, broken$/m)
    assert.deepEqual([clusterExists(home, 'good-1'), clusterExists(home, 'good-2'), clusterExists(home, 'broken')], [false, false, true])
  })

  it('exits 3 when the only failures are missing names, and lists each under --json', async () => {
    await created('only-good')
    const result = await runKeJson(['rm', '-y', 'only-good', 'ghost-a', 'ghost-b'], {home})
    assert.equal(result.code, 3)
    assert.deepEqual(result.json.removed.map((r: {name: string}) => r.name), ['only-good'])
    assert.deepEqual(result.json.failed.map((f: {name: string; code: string; exit: number}) => [f.name, f.code, f.exit]), [['ghost-a', 'CLUSTER_NOT_FOUND', 3], ['ghost-b', 'CLUSTER_NOT_FOUND', 3]])
    assert.equal(result.json.error.exit, 3)
  })

  it('--ignore-not-found makes a missing name fine', async () => {
    await created('cleanup')
    const result = await runKe(['rm', '-y', '--ignore-not-found', 'cleanup', 'never-made'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.trim(), 'Removed cleanup')
    assert.equal(result.stderr.includes('Error'), false)
    assert.equal((await runKe(['rm', '-y', '--ignore-not-found', 'never-made'], {home})).code, 0)
    assert.equal((await runKe(['rm', '-y', 'never-made'], {home})).code, 3, 'without the flag a missing name is exit 3')
  })

  it('--ignore-not-found without -y asks only about clusters that exist', async () => {
    // Given no terminal: nothing to remove needs no confirmation
    const nothing = await runKe(['rm', '--ignore-not-found', 'never-made'], {home})
    assert.equal(nothing.code, 0, nothing.stderr)
    assert.equal(nothing.stderr, '')

    // and a confirmation that is needed names only the cluster that exists, and removes nothing
    await created('kept')
    const asked = await runKe(['rm', '--ignore-not-found', 'kept', 'never-made'], {home})
    assert.equal(asked.code, 2, asked.stderr)
    assert.equal(asked.stderr, 'Error: removing kept needs confirmation (pass -y (--yes) when not at a terminal)\n')
    assert.deepEqual((await runKe(['ls', '-q'], {home})).stdout.split('\n').includes('kept'), true)
  })

  it('without -y, a name that does not exist is not found (exit 3), not a question', async () => {
    const result = await runKe(['rm', 'never-made'], {home})
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^Error: cluster never-made not found/)
  })
})

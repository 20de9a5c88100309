// Issue 20: a create whose `ke` died (kill -9: no handler ran, no live lock holder) is shown by `ls` and
// `inspect` as stopped (Error, interrupted), not as Creating forever; a live one still shows Creating.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {collect, isAlive, makeHome, readCluster, runKe, runKeJson, startKe, waitFor, clusterExists} from '../support/ke.js'

describe('a create whose ke died', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('is listed as Creating while its ke lives, and as an interrupted Error once it is gone', async () => {
    // Given a slow create under way
    const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'slow'], {home})
    const done = collect(ke, {timeoutMs: 120_000})
    await waitFor(() => clusterExists(home, 'slow') && readCluster(home, 'slow').status === 'Creating', 'the create to reach Creating')
    const live = await runKeJson(['ls'], {home})
    assert.deepEqual(live.json.map((row: {name: string; status: string}) => [row.name, row.status]), [['slow', 'Creating']])

    // When its ke is killed without a chance to record anything
    ke.kill('SIGKILL')
    await done
    await waitFor(() => !isAlive(ke.pid!), 'ke to be gone')

    // Then ls, ls --json and inspect show it stopped, and say why
    const rows = await runKeJson(['ls'], {home})
    assert.equal(rows.code, 0, rows.stderr)
    assert.deepEqual(rows.json.map((row: {status: string; reason?: string}) => [row.status, row.reason]), [['Error', 'interrupted: the ke running it stopped during Creating']])
    const table = await runKe(['ls'], {home})
    assert.match(table.stdout, /^slow\s+sample\s+.*Error\s*$/m)
    const inspect = await runKeJson(['inspect', 'slow'], {home})
    assert.deepEqual([inspect.json.status, inspect.json.reason], ['Error', 'interrupted: the ke running it stopped during Creating'])
    const filtered = await runKe(['ls', '--filter', 'status=Error', '-q'], {home})
    assert.equal(filtered.stdout.trim(), 'slow')

    // And it is removed like any interrupted create
    const removed = await runKe(['rm', '-y', 'slow'], {home})
    assert.equal(removed.code, 0, removed.stderr)
  })

  // ke handles SIGINT, SIGTERM and SIGHUP; any other signal that ends it leaves its lock behind
  it('leaves the lock of a ke that a signal it does not handle ended to the next ke at once', async () => {
    // Given a slow create under way
    const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'cut'], {home})
    const done = collect(ke, {timeoutMs: 120_000})
    await waitFor(() => clusterExists(home, 'cut') && readCluster(home, 'cut').status === 'Creating', 'the create to reach Creating')

    // When a signal ke has no handler for ends it, its lock still there
    ke.kill('SIGUSR2')
    const ended = await done
    assert.equal(ended.signal, 'SIGUSR2')
    assert.ok(existsSync(join(home, 'locks', 'cut.lock')), 'the lock ke held is left behind')

    // Then the next ke is not turned away as busy: it takes the lock over and removes the cluster
    const removed = await runKe(['rm', '-y', 'cut'], {home})
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(clusterExists(home, 'cut'), false)
  })
})

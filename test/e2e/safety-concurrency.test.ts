// Issue 6, concurrency: one lock per cluster. A second ke on a busy cluster is turned away at once,
// different clusters proceed in parallel, and the lock of a ke killed with -9 is taken over.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {collect, makeHome, readCluster, runKe, runKeJson, startKe, type KeResult} from '../support/ke.js'
import {driverRecords, errorLines, isRunning, notPrivate, runningDriverPid, waitForStatus} from './safety-support.js'

/** Runs `ke ARGS` and measures how long it took. */
async function timed(args: string[], home: string): Promise<KeResult & {ms: number}> {
  const started = Date.now()
  const result = await runKe(args, {home})
  return {...result, ms: Date.now() - started}
}

describe('one lock per cluster', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('turns a second ke on a busy cluster away with exit 4 within a second, naming the holder', async () => {
    // Given how long a ke that does no work takes to start and finish here (node start-up, under load)
    const idle = await timed(['ls'], home)
    assert.equal(idle.code, 0, idle.stderr)
    // and a create that holds the lock of `busy` while its driver works
    const holder = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'busy'], {home})
    const held = collect(holder, {timeoutMs: 60_000})
    await waitForStatus(home, 'busy', 'Creating', held)
    try {
      // When other commands on the same cluster run meanwhile
      for (const args of [['update', 'busy', '--node-count', '4'], ['rm', '-y', 'busy'], ['size', 'set', 'busy', '5'], ['create', '--driver', 'sample', 'busy']]) {
        const second = await timed(args, home)
        // Then each exits 4 with one line naming the holder's pid and command
        assert.equal(second.code, 4, `ke ${args.join(' ')}: ${second.stderr}`)
        assert.deepEqual(errorLines(second), [`Error: cluster busy is busy (pid ${holder.pid}, ke create busy) (wait for that command to finish, or stop it)`])
        // and it did not wait for the lock: at most a second more than a ke that does nothing
        assert.ok(second.ms < idle.ms + 1000, `ke ${args.join(' ')} took ${second.ms} ms, an idle ke ${idle.ms} ms`)
      }
      // and the lock, like everything under KE_HOME, is private to the user
      assert.deepEqual(notPrivate(home), [])
      // and the holder was not disturbed
      assert.equal(readCluster(home, 'busy').status, 'Creating')
    } finally {
      holder.kill('SIGINT')
      await held
    }
  })

  it('runs 16 creates of different clusters at the same time, and every one succeeds with an intact record', async () => {
    // When 16 ke create run at once in one KE_HOME
    const names = Array.from({length: 16}, (_, i) => `parallel-${i}`)
    const results = await Promise.all(names.map((name) => runKe(['create', '--driver', 'sample', name], {home, timeoutMs: 180_000})))
    // Then all exit 0
    for (const [i, result] of results.entries()) assert.equal(result.code, 0, `${names[i]}: ${result.stderr}`)
    // and each record parses, names its cluster, went through every status and holds its own cloud cluster
    const ids = new Set<string>()
    for (const name of names) {
      const record = readCluster(home, name)
      assert.equal(record.name, name)
      assert.equal(record.status, 'Running')
      assert.deepEqual(record.history.map((entry: {status: string}) => entry.status), ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'])
      ids.add(JSON.parse(record.info.metadata.state).clusterId)
    }
    assert.equal(ids.size, 16)
    // and `ke ls` shows them all, and no lock or driver record is left behind
    const listed = await runKeJson(['ls'], {home})
    const running = (listed.json as Array<{name: string; status: string}>).filter((c) => c.name.startsWith('parallel-') && c.status === 'Running')
    assert.equal(running.length, 16, listed.stdout)
    assert.deepEqual(existsSync(join(home, 'locks')) ? readdirSync(join(home, 'locks')) : [], [])
    assert.deepEqual(driverRecords(home), [])
  })

  it('takes over the lock of a ke that was killed with -9, at once', async () => {
    // Given a create killed with SIGKILL while it held the lock of `stale`
    const holder = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'stale'], {home})
    const held = collect(holder, {timeoutMs: 60_000})
    await waitForStatus(home, 'stale', 'Creating', held)
    const driverPid = await runningDriverPid(home)
    holder.kill('SIGKILL')
    await held
    const owner = JSON.parse(readFileSync(join(home, 'locks', 'stale.owner.json'), 'utf8'))
    assert.equal(owner.pid, holder.pid, 'the killed ke left its lock behind')
    // When create runs again on the same cluster right away
    const retried = await runKe(['create', '--create-seconds', '0', 'stale'], {home})
    // Then it takes the lock over and finishes the create
    assert.equal(retried.code, 0, retried.stderr)
    assert.equal(readCluster(home, 'stale').status, 'Running')
    // and releases it, and the killed ke's driver is gone too
    assert.equal(existsSync(join(home, 'locks', 'stale.lock')), false)
    assert.equal(isRunning(driverPid), false)
  })
})

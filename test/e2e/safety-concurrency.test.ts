// Issue 6, concurrency: one lock per cluster. A second ke on a busy cluster is turned away at once,
// different clusters proceed in parallel, and the lock of a ke killed with -9 is taken over.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {ROOT, collect, readCluster, runKe, runKeJson, sampleRequests, startKe, waitFor, type KeResult} from '../support/ke.js'
import {scriptDriver} from '../support/fixtures.js'
import {freshHome} from '../support/homes.js'
import {driverRecords, errorLines, isRunning, notPrivate, runningDriverPid, waitForStatus} from './safety-support.js'

/**
 * What a ke turned away must leave as it found: the record, the commands in the driver log (the holder's
 * driver may still add lines), the requests the driver got, the lock and the drivers running.
 */
function snapshot(home: string, name: string): Record<string, unknown> {
  const file = (path: string) => readFileSync(join(home, path), 'utf8')
  return {
    record: file(`clusters/${name}/cluster.json`),
    logHeaders: file(`clusters/${name}/driver.log`).split('\n').filter((line) => line.startsWith('--- ')),
    requests: sampleRequests(home),
    lockOwner: file(`locks/${name}.owner.json`),
    runningDrivers: driverRecords(home).map((r) => r.pid),
  }
}

describe('one lock per cluster', () => {
  it('turns a second ke on a busy cluster away with exit 4 while the holder runs, naming it, starting no driver and changing nothing', async (t) => {
    const home = freshHome(t)
    // Given the sample driver behind a wrapper that notes each start of it (outside KE_HOME, which must stay private)
    const dir = freshHome(t, 'ke-counted-driver-')
    const starts = join(dir, 'driver-starts')
    const driver = scriptDriver(dir, 'counted', `echo $$ >> "${starts}"\nexec "${process.execPath}" "${join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')}" "$@"`)
    const started = () => readFileSync(starts, 'utf8').trim().split('\n')
    // and a create with it that holds the lock of `busy` while its driver works
    const holder = startKe(['create', '--driver', driver, '--create-seconds', '120', 'busy'], {home})
    let holderEnded: KeResult | undefined
    const held = collect(holder, {timeoutMs: 60_000}).then((result) => (holderEnded = result))
    await waitForStatus(home, 'busy', 'Creating', held)
    await waitFor(() => sampleRequests(home).some((r) => r.method === 'Create'), 'the driver to receive Create')
    const [holderDriver] = started()
    const before = snapshot(home, 'busy')
    try {
      // When other commands on the same cluster run meanwhile
      // (those that only read it too: what they would read, the driver's state, is what the create makes)
      const reads = [['version', 'get', 'busy'], ['size', 'get', 'busy'], ['capabilities', 'busy'], ['env', 'busy'], ['kubeconfig', 'busy'], ['access', 'busy']]
      const changes = [['update', 'busy', '--node-count', '4'], ['rm', '-y', 'busy'], ['size', 'set', 'busy', '5'], ['version', 'set', 'busy', 'v1.31.0'], ['create', '--driver', driver, 'busy']]
      const snapshots = [['etcd', 'save', 'busy', 'nightly'], ['etcd', 'restore', 'busy', 'nightly'], ['etcd', 'remove', 'busy', 'nightly']]
      for (const args of [...changes, ...snapshots, ...reads]) {
        const second = await runKe(args, {home})
        // Then each exits 4 with one line naming the holder's pid and command
        assert.equal(second.code, 4, `ke ${args.join(' ')}: ${second.stderr}`)
        assert.deepEqual(errorLines(second), [`Error: cluster busy is busy (pid ${holder.pid}, ke create busy) (wait for that command to finish, or stop it)`])
        // and it did not wait for the lock: the holder still runs its 120-second create
        assert.equal(holderEnded, undefined, `the holder ended first: ${holderEnded?.stderr}`)
        // and it started no driver and changed nothing of the cluster, its log, its driver or its lock
        assert.deepEqual(started(), [holderDriver], `ke ${args.join(' ')} started a driver`)
        assert.deepEqual(snapshot(home, 'busy'), before, `after ke ${args.join(' ')}`)
      }
      // and the lock, like everything under KE_HOME, is private to the user
      assert.deepEqual(notPrivate(home), [])
      // and the holder was not disturbed
      assert.equal(readCluster(home, 'busy').status, 'Creating')
      assert.ok(isRunning(holder.pid!), 'the holder still runs')
    } finally {
      holder.kill('SIGINT')
      await held
    }
  })

  it('runs 16 creates of different clusters at the same time, and every one succeeds with an intact record', async (t) => {
    const home = freshHome(t)
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

  it('takes over the lock of a ke that was killed with -9, at once', async (t) => {
    const home = freshHome(t)
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

// Issue 6, crashes and signals: Ctrl-C and SIGTERM stop the driver and leave an honest, retryable
// record; kill -9 leaves a whole cluster.json and a driver that the next ke stops.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {clusterFile, collect, makeHome, readCluster, runKe, sampleRequests, startKe, waitFor, type KeResult} from '../support/ke.js'
import {preparedHome} from '../support/homes.js'
import {driverRecords, errorLines, isRunning, runningDriverPid, waitForStatus} from './safety-support.js'

/** Starts `ke create`, waits until the driver is inside Create, then sends `signal` to ke. */
async function interruptCreate(home: string, name: string, signal: NodeJS.Signals, args: string[] = []): Promise<{result: KeResult; driverPid: number}> {
  const received = creates(home).length
  const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', ...args, name], {home})
  const done = collect(ke, {timeoutMs: 60_000})
  // the status is saved before the call: wait for the driver to have received it too
  await waitForStatus(home, name, 'Creating', done)
  await waitFor(() => creates(home).length > received, 'the driver to receive Create')
  const driverPid = await runningDriverPid(home)
  ke.kill(signal)
  return {result: await done, driverPid}
}

function statuses(home: string, name: string): string[] {
  return readCluster(home, name).history.map((entry: {status: string}) => entry.status)
}

function creates(home: string): Array<{options: any; info: any}> {
  return sampleRequests(home)
    .filter((r) => r.method === 'Create')
    .map((r) => r.request)
}

describe('signals during create', () => {
  // Each interruption happens once, in a home of its own; a test that goes on from it works on a copy.
  let ctrlC: {result: KeResult; driverPid: number}
  const afterCtrlC = preparedHome(async (home) => {
    // Given a create whose driver is inside Create
    // When the user presses Ctrl-C
    ctrlC = await interruptCreate(home, 'ctrl-c', 'SIGINT', ['--region', 'eu-9'])
  })
  let sigterm: {result: KeResult; driverPid: number; stored: any}
  const afterSigterm = preparedHome(async (home) => {
    // Given a cluster whose first create failed after making resources, so ke stores its info
    const failed = await runKe(['create', '--driver', 'sample', '--fail-after-create', 'term'], {home})
    assert.equal(failed.code, 1, failed.stderr)
    const stored = readCluster(home, 'term').info
    // When its retry is under way and ke gets SIGTERM (a CI job cancelled)
    sigterm = {...(await interruptCreate(home, 'term', 'SIGTERM')), stored}
  })

  it('stops the driver, records Error "interrupted" and exits 130 on SIGINT', () => {
    // Given a create interrupted by Ctrl-C while its driver was inside Create
    const {result, driverPid} = ctrlC
    const home = afterCtrlC.home
    // Then ke exits 130 with one error line naming the call and the driver
    assert.equal(result.code, 130, result.stderr)
    assert.deepEqual(errorLines(result), ["Error: interrupted during Create; driver sample was stopped (`ke create ctrl-c` retries it; the driver had not returned the cluster's state yet, so `ke rm ctrl-c` could only drop the record and leave what it made)"])
    // and the record says Error, interrupted, after the statuses it went through
    const record = readCluster(home, 'ctrl-c')
    assert.equal(record.status, 'Error')
    assert.equal(record.reason, 'interrupted')
    assert.deepEqual(statuses(home, 'ctrl-c'), ['Init', 'Pre-Creating', 'Creating', 'Error'])
    // and the driver process is gone, its run record with it
    assert.equal(isRunning(driverPid), false, `driver ${driverPid} still runs`)
    assert.deepEqual(driverRecords(home), [])
  })

  it('retries the interrupted create when `ke create NAME` runs again, with the driver stored in the record', async (t) => {
    // Given a cluster whose create was interrupted by Ctrl-C (its driver and options are stored; neither is given now)
    const home = afterCtrlC.copy(t)
    // When the user runs create again, this time quick
    const result = await runKe(['create', '--create-seconds', '0', 'ctrl-c'], {home})
    // Then the create runs to the end from the Error status
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readCluster(home, 'ctrl-c').status, 'Running')
    assert.deepEqual(statuses(home, 'ctrl-c'), ['Init', 'Pre-Creating', 'Creating', 'Error', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'])
    // and the driver received a second Create for the same cluster, with the options stored the first time
    const retried = creates(home).at(-1)!
    assert.equal(retried.options.stringOptions.name, 'ctrl-c')
    assert.equal(retried.options.stringOptions.region, 'eu-9')
    assert.equal(retried.options.intOptions['create-seconds'], 0)
  })

  it('removes the interrupted create on `ke rm`, warning that what the driver made may remain', async (t) => {
    // Given a cluster whose create was interrupted inside Create, before the driver returned its state
    const home = afterCtrlC.copy(t)
    // When the user removes it
    const result = await runKe(['rm', '-y', 'ctrl-c'], {home})
    // Then the record is gone, the driver's Remove was not called (ke had nothing to give it), and ke says so
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'Removed ctrl-c\n')
    assert.match(result.stderr, /Warning: the create of ctrl-c ended before its driver returned the cluster's state, so its Remove could not be called: cloud resources it made, if any, may remain/)
    assert.equal((await runKe(['ls', '-q'], {home})).stdout, '')
  })

  it('stops the driver, records Error "interrupted" and exits 143 on SIGTERM, keeping the info the driver returned before', () => {
    // Given a retry of a create that had failed after making resources, interrupted by SIGTERM
    const {result, driverPid, stored} = sigterm
    const home = afterSigterm.home
    assert.match(JSON.parse(stored.metadata.state).clusterId, /^c-/)
    // Then ke exits 143, the record says Error, interrupted, and still holds the stored info
    assert.equal(result.code, 143, result.stderr)
    assert.deepEqual(errorLines(result), ['Error: interrupted during Create; driver sample was stopped (`ke create term` retries it, `ke rm term` removes what was made)'])
    const record = readCluster(home, 'term')
    assert.equal(record.status, 'Error')
    assert.equal(record.reason, 'interrupted')
    assert.deepEqual(record.info.metadata, stored.metadata)
    // and the driver is gone
    assert.equal(isRunning(driverPid), false, `driver ${driverPid} still runs`)
    assert.deepEqual(driverRecords(home), [])
  })

  it('retries with the stored ClusterInfo after SIGTERM, so the driver finds the resources it made', async (t) => {
    // Given the info stored for a cluster interrupted by SIGTERM
    const home = afterSigterm.copy(t)
    const stored = readCluster(home, 'term').info
    // When the user runs create again without the failure lever
    const result = await runKe(['create', '--no-fail-after-create', '--create-seconds', '0', 'term'], {home})
    // Then it succeeds
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readCluster(home, 'term').status, 'Running')
    // and the Create the driver received carried the stored info, so it resumed the same cloud cluster
    const retried = creates(home).at(-1)!
    assert.deepEqual(retried.info.metadata, stored.metadata)
    assert.equal(JSON.parse(readCluster(home, 'term').info.metadata.state).clusterId, JSON.parse(stored.metadata.state).clusterId)
  })
})

describe('signals while the driver starts', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('exits 143 on SIGTERM before the driver listens, stops it, and saves no cluster', async () => {
    // Given a driver that takes its time before listening
    const ke = startKe(['create', '--driver', 'sample', 'starting'], {home, env: {KE_OPT_START_DELAY_MS: '60000'}})
    const done = collect(ke, {timeoutMs: 60_000})
    const driverPid = await runningDriverPid(home)
    // When ke gets SIGTERM meanwhile
    ke.kill('SIGTERM')
    const result = await done
    // Then it exits 143 (not 130: the signal decides), says what it was doing, and the driver is gone
    assert.equal(result.code, 143, result.stderr)
    assert.deepEqual(errorLines(result), ['Error: interrupted while driver sample was starting'])
    assert.equal(isRunning(driverPid), false, `driver ${driverPid} still runs`)
    assert.deepEqual(driverRecords(home), [])
    assert.equal(existsSync(join(home, 'clusters')), false)
  })
})

describe('kill -9 during create', () => {
  let home: string
  let dispose: () => void
  let dir: string
  before(() => {
    ;({home, dispose} = makeHome())
    dir = mkdtempSync(join(tmpdir(), 'ke-kill-'))
  })
  after(() => {
    for (const record of driverRecords(home)) if (isRunning(record.pid)) process.kill(record.pid, 'SIGKILL')
    dispose()
    rmSync(dir, {recursive: true, force: true})
  })

  it('leaves a cluster.json that parses, and the next `ke ls` stops the driver the killed ke left running', async () => {
    // Given a create inside a driver that, like real Go drivers, never exits on its own
    const driver = fixtureDriver('safety-hang', dir)
    const ke = startKe(['create', '--driver', driver, 'killed'], {home})
    const done = collect(ke, {timeoutMs: 60_000})
    await waitForStatus(home, 'killed', 'Creating', done)
    const driverPid = await runningDriverPid(home)
    // When ke is killed with SIGKILL, so it cannot clean up
    ke.kill('SIGKILL')
    const killed = await done
    assert.equal(killed.signal, 'SIGKILL')
    // Then cluster.json is whole and honest: the last status saved
    assert.equal(readCluster(home, 'killed').status, 'Creating')
    // and the driver outlived ke
    assert.equal(isRunning(driverPid), true, 'the driver should still run after kill -9 of ke')
    // When the next ke command runs, whatever it is
    const listed = await runKe(['ls'], {home})
    // Then it lists the cluster, stopped since no ke holds it (issue 20), and has stopped the orphaned driver
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /killed\s+.*Error/)
    await waitFor(() => !isRunning(driverPid), `orphaned driver ${driverPid} to stop`, 5_000)
    assert.deepEqual(driverRecords(home), [])
  })
})

describe('a corrupt cluster.json', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('is reported as unreadable, never breaks `ke ls` for the others, and `ke rm -f` drops it', async () => {
    // Given two clusters, one of whose records was cut short by hand
    for (const name of ['good', 'bad']) assert.equal((await runKe(['create', '--driver', 'sample', name], {home})).code, 0)
    writeFileSync(clusterFile(home, 'bad'), '{"schemaVersion": 1, "name": "bad", "status": "Runn')
    // When the clusters are listed
    const listed = await runKe(['ls'], {home})
    // Then both rows are shown, the bad one marked, with one warning naming it and the way out
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /^bad\s+unreadable$/m)
    assert.match(listed.stdout, /^good\s+sample\s.*Running$/m)
    const warnings = listed.stderr.trim().split('\n')
    assert.equal(warnings.length, 1, listed.stderr)
    assert.match(warnings[0], /^(\d\d:\d\d:\d\d )?Warning: state of bad is unreadable: cluster\.json is not valid JSON \([^)]+\); run `ke rm -f bad`$/)
    // When a command needs the record
    const inspected = await runKe(['inspect', 'bad'], {home})
    // Then it fails with the reason and the way out
    assert.equal(inspected.code, 1)
    assert.equal(errorLines(inspected).length, 1, inspected.stderr)
    assert.match(errorLines(inspected)[0], /^Error: state of bad is unreadable: cluster\.json is not valid JSON \([^)]+\) \(run `ke rm -f bad` to drop it/)
    // When it is removed with --force
    const removed = await runKe(['rm', '-f', '-y', 'bad'], {home})
    // Then the record is gone and the other cluster is untouched
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(existsSync(join(home, 'clusters', 'bad')), false)
    assert.equal(readCluster(home, 'good').status, 'Running')
  })
})

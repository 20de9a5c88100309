// Issue 20, "A cluster stays bound to the driver that made it": its ClusterInfo means something only to
// that driver. A command naming another driver is refused (exit 4, naming both); a moved binary of the
// same driver is followed and recorded; --attach reaches a driver for one command and binds nothing.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, renameSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureExec, scriptDriver} from '../support/fixtures.js'
import {ROOT, keEnv, makeHome, readCluster, runKe, sampleRequests, waitFor} from '../support/ke.js'
import {canConnect, pickFreePort} from '../../src/driver/run/ports.js'

const SAMPLE_MAIN = join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')

/** A driver named `other`: the sample driver's code behind another name (a different driver to ke). */
function otherDriver(dir: string): string {
  mkdirSync(dir, {recursive: true})
  return scriptDriver(dir, 'other', `exec "${process.execPath}" "${SAMPLE_MAIN}" "$@"`)
}

function creates(home: string): number {
  return sampleRequests(home).filter((r) => r.method === 'Create').length
}

describe('a cluster stays bound to the driver that made it', () => {
  let home: string
  let dispose: () => void
  let other: string
  before(() => {
    ;({home, dispose} = makeHome())
    other = otherDriver(join(home, 'bin'))
  })
  after(() => dispose())

  it('refuses create and update naming another driver, with exit 4 naming both, and hands it nothing', async () => {
    // Given a create by driver `other` that failed after making resources
    assert.equal((await runKe(['create', '--driver', other, '--fail-after-create', 'sw'], {home})).code, 1)
    const before = creates(home)
    // When create and update name the sample driver
    for (const args of [['create', '--driver', 'sample', 'sw'], ['update', 'sw', '--driver', 'sample', '--node-count', '4']]) {
      const result = await runKe(args, {home})
      // Then each is refused, naming both drivers, and the record still belongs to `other`
      assert.equal(result.code, 4, result.stderr)
      assert.match(result.stderr, new RegExp(`^Error: cluster sw was made by driver other \\(${other}\\), not by sample \\(drop --driver to use other`))
    }
    assert.equal(creates(home), before, 'the sample driver was given no Create')
    assert.equal(readCluster(home, 'sw').driver.ref, other)
    assert.equal((await runKe(['rm', '-y', 'sw'], {home})).code, 0, 'rm goes to the driver that made it')
  })

  it('refuses another driver before starting it (newcomer trial: /bin/ls was started and failed with exit 1)', async () => {
    // Given a cluster made by the sample driver, and a driver `counted` that notes every start
    assert.equal((await runKe(['create', '--driver', 'sample', 'bound'], {home})).code, 0)
    const starts = join(home, 'counted-starts')
    const counted = scriptDriver(join(home, 'bin'), 'counted', `echo started >> "${starts}"\nexec "${process.execPath}" "${SAMPLE_MAIN}" "$@"`)
    // When create names that other driver
    const result = await runKe(['create', '--driver', counted, 'bound'], {home})
    // Then it is refused naming both, and the other driver never started
    assert.equal(result.code, 4, result.stderr)
    assert.match(result.stderr, /^Error: cluster bound was made by driver sample, not by counted/)
    assert.equal(existsSync(starts), false, 'the other driver was started')
  })

  it('refuses another driver for a record whose create never returned any info', async () => {
    // a driver `other` whose Create fails before it returns anything
    mkdirSync(join(home, 'failing-bin'))
    const failing = scriptDriver(join(home, 'failing-bin'), 'other', fixtureExec('safety-create-error'))
    assert.equal((await runKe(['create', '--driver', failing, '--zone', 'z9', 'halfway'], {home})).code, 1)
    assert.equal(readCluster(home, 'halfway').info, undefined)
    const result = await runKe(['create', '--driver', 'sample', 'halfway'], {home})
    assert.equal(result.code, 4)
    assert.match(result.stderr, /cluster halfway was made by driver other .*, not by sample/)
    assert.equal(readCluster(home, 'halfway').options.zone, 'z9', 'the record is unchanged')
  })

  it('follows a moved binary of the same driver and records its new path', async () => {
    assert.equal((await runKe(['create', '--driver', other, '--fail-after-create', 'moved'], {home})).code, 1)
    const newDir = join(home, 'new-bin')
    mkdirSync(newDir)
    const movedTo = join(newDir, 'kontainer-engine-driver-other')
    renameSync(other, movedTo)
    const retry = await runKe(['create', '--driver', movedTo, '--no-fail-after-create', 'moved'], {home})
    assert.equal(retry.code, 0, retry.stderr)
    assert.equal(readCluster(home, 'moved').driver.ref, movedTo)
    const update = await runKe(['update', 'moved', '--node-count', '2'], {home})
    assert.equal(update.code, 0, 'later commands find the driver at its new path')
    // moved back: rm takes --driver too, to reach the same driver where it now is
    renameSync(movedTo, other)
    const removed = await runKe(['rm', '-y', '--driver', other, 'moved'], {home})
    assert.equal(removed.code, 0, removed.stderr)
  })
})

describe('--attach reaches a driver for one command only', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  async function runningSample(): Promise<{address: string; stop: () => void}> {
    const port = await pickFreePort()
    const child = spawn(process.execPath, [SAMPLE_MAIN, String(port)], {env: keEnv({home}), stdio: 'ignore'})
    await waitFor(() => canConnect(port), 'the sample driver to listen')
    return {address: `127.0.0.1:${port}`, stop: () => child.kill('SIGKILL')}
  }

  it('never binds the record to the port: later commands start the named driver', async () => {
    const attached = await runningSample()
    try {
      const result = await runKe(['create', '--driver', 'sample', '--attach', attached.address, 'via-port'], {home})
      assert.equal(result.code, 0, result.stderr)
    } finally {
      attached.stop()
    }
    // the attached driver is gone: a later command starts its own sample driver
    const size = await runKe(['size', 'get', 'via-port'], {home})
    assert.equal(size.code, 0, size.stderr)
    assert.equal(size.stdout.trim(), '3')
    assert.deepEqual(readCluster(home, 'via-port').driver, {ref: 'sample', display: 'sample'})
  })

  it('without --driver, later commands need --attach or --driver again', async () => {
    const attached = await runningSample()
    try {
      assert.equal((await runKe(['create', '--attach', attached.address, 'unbound'], {home})).code, 0)
      const size = await runKe(['size', 'get', 'unbound'], {home})
      assert.equal(size.code, 2)
      assert.equal(
        size.stderr.trim(),
        'Error: cluster unbound was made through a driver ke attached to and is bound to no driver (pass --attach 127.0.0.1:PORT of that driver for this command, or --driver NAME to bind it)',
      )
      const again = await runKe(['size', 'get', 'unbound', '--attach', attached.address], {home})
      assert.equal(again.stdout.trim(), '3')
    } finally {
      attached.stop()
    }
  })
})

// ke picks a free port and then starts the driver on it: another program can bind that port in between.
// A driver that fails so ("address already in use") is started again on a new port, and the command
// goes on as if nothing happened: its calls reach the driver on the new port, not the client ke made
// for the lost one while the driver booted. And picking the port tells the user nothing of how ke
// does it (a deprecation warning of Node's).
import assert from 'node:assert/strict'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, it} from 'node:test'
import {freshHome} from '../support/homes.js'
import {readCluster, ROOT, runKe, sampleRequests} from '../support/ke.js'

/** The sample driver, except that its first start fails as a driver whose port was taken does. */
function driverLosingItsFirstPort(home: string): string {
  const script = join(home, 'loses-first-port.mjs')
  const marker = join(home, 'first-start-failed')
  const sample = pathToFileURL(join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')).href
  writeFileSync(
    script,
    `import {existsSync, writeFileSync} from 'node:fs'
if (!existsSync(${JSON.stringify(marker)})) {
  writeFileSync(${JSON.stringify(marker)}, '')
  console.error('listen EADDRINUSE: address already in use 127.0.0.1:' + process.argv[2])
  process.exit(1)
}
await import(${JSON.stringify(sample)})
`,
  )
  return script
}

describe('a driver whose port was taken before it bound it', () => {
  it('is started again on a new port, and the create and rm go on', async (t) => {
    const home = freshHome(t)
    const driver = driverLosingItsFirstPort(home)

    const created = await runKe(['create', '--driver', driver, 'moved-port'], {home})
    assert.equal(created.code, 0, created.stderr)
    assert.ok(existsSync(join(home, 'first-start-failed')), 'the first start did fail')
    assert.equal(readCluster(home, 'moved-port').status, 'Running')
    assert.deepEqual(sampleRequests(home).map((entry) => entry.method).filter((method) => method === 'Create'), ['Create'])

    const logs = await runKe(['logs', 'moved-port'], {home})
    assert.equal(logs.code, 0, logs.stderr)
    assert.match(logs.stdout, /port \d+ was taken before the driver bound it; retrying on a new port/)

    const removed = await runKe(['rm', '-y', 'moved-port'], {home})
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(existsSync(join(home, 'clusters', 'moved-port')), false)
  })
})

describe('the port ke picks for a driver', () => {
  // ke takes the kernel's pick from a bare TCP handle, through an API Node's docs deprecate: a user who
  // asked Node to warn of such APIs must not be told of ke's own use of one
  it('comes without a deprecation warning when Node is asked to show pending ones', async (t) => {
    const home = freshHome(t)
    const env = {NODE_OPTIONS: '--pending-deprecation'}

    const created = await runKe(['create', '--driver', 'sample', 'warned'], {home, env})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(readCluster(home, 'warned').status, 'Running')
    // started after the parse (--env): ke picks that port itself, not bin/run.js
    const updated = await runKe(['update', 'warned', '--node-count', '4', '--env', 'SAMPLE_NOTE=1'], {home, env})
    assert.equal(updated.code, 0, updated.stderr)
    const removed = await runKe(['rm', '-y', 'warned'], {home, env})
    assert.equal(removed.code, 0, removed.stderr)

    for (const result of [created, updated, removed]) assert.doesNotMatch(result.stderr, /DeprecationWarning|DEP0111/)
  })
})

// ke picks a free port and then starts the driver on it: another program can bind that port in between.
// A driver that fails so ("address already in use") is started again on a new port, and the command
// goes on as if nothing happened: its calls reach the driver on the new port, not the client ke made
// for the lost one while the driver booted.
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

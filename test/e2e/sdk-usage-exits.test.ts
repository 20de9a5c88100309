// Issue 18: a driver started without a port prints its usage and exits, even when the author's code
// holds other handles open (a timer made at start-up), both packaged by `ke driver package` and from source.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {collect, makeHome, runKe, type KeResult} from '../support/ke.js'

/** Runs a driver file with no arguments; fails (rather than hangs) when it does not end by itself. */
function runWithoutPort(file: string): Promise<KeResult> {
  return collect(spawn(file, [], {stdio: ['pipe', 'pipe', 'pipe']}), {timeoutMs: 30_000})
}

describe('serveDriver without a port', () => {
  it('a packaged driver holding a timer prints its usage and exits 2', async (t) => {
    const {home, dispose} = makeHome('ke-usage-')
    t.after(dispose)
    // Given a driver whose author's code keeps a setInterval, packaged by ke
    const executable = join(home, 'kontainer-engine-driver-holds')
    const packaged = await runKe(['driver', 'package', 'test/fixtures/drivers/holds-handles.ts', '-o', executable], {home, timeoutMs: 240_000})
    assert.equal(packaged.code, 0, packaged.stderr)
    // When it is run without a port
    const result = await runWithoutPort(executable)
    // Then it prints one usage line and exits 2
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /^kontainer-engine-driver-holds is a Kubernetes cluster driver \(kontainer-engine protocol\): ke or Rancher starts it as `kontainer-engine-driver-holds PORT`/)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  })

  it('the same driver run from source prints its usage and exits 2', async (t) => {
    const {home, dispose} = makeHome('ke-usage-src-')
    t.after(dispose)
    const result = await runWithoutPort(fixtureDriver('holds-handles', home))
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /is a Kubernetes cluster driver/)
  })
})

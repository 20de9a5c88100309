// An SDK driver stopped with SIGTERM (as ke stops it once it has its answers, and as Rancher stops its
// drivers) exits by itself with code 0, saying why; a call in flight is answered first.
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {describe, it} from 'node:test'
import {GrpcClusterDriver} from '../../../src/driver/rpc/client.js'
import {DriverLog} from '../../../src/driver/run/driver-log.js'
import {attachedDriver} from '../../../src/driver/run/launch.js'
import {canConnect, pickFreePort} from '../../../src/driver/run/ports.js'
import {emptyDriverOptions} from '../../../src/protocol/types.js'
import {Redactor} from '../../../src/redact.js'
import {builtFixture} from '../../support/fixtures.js'
import {waitFor} from '../../support/ke.js'

interface Running {
  child: ChildProcess
  host: GrpcClusterDriver
  output: () => string
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

async function startHeldCreateDriver(): Promise<Running> {
  const port = await pickFreePort()
  const child = spawn(process.execPath, [builtFixture('sdk-held-create'), String(port)], {stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.once('exit', (code, signal) => resolve({code, signal})))
  await waitFor(() => canConnect(port), 'the driver to listen')
  const host = await GrpcClusterDriver.connect(attachedDriver(`127.0.0.1:${port}`, new DriverLog('held', new Redactor())))
  return {child, host, output: () => output, exited}
}

describe('sdk driver › SIGTERM', () => {
  it('exits with code 0 when no call is in flight, saying why', async () => {
    // Given a driver that has answered its calls
    const driver = await startHeldCreateDriver()
    try {
      await driver.host.getCreateOptions()

      // When its host, done with it, stops it (as ke does: its connection closed first)
      await driver.host.stop()
      driver.child.kill('SIGTERM')

      // Then it exits by itself, with 0, and its log says why
      assert.deepEqual(await driver.exited, {code: 0, signal: null})
      assert.match(driver.output(), /shutting down: SIGTERM/)
    } finally {
      await driver.host.stop()
    }
  })

  it('answers a call in flight before it exits', async () => {
    // Given a Create the driver is still working on
    const driver = await startHeldCreateDriver()
    try {
      const created = driver.host.create(emptyDriverOptions(), undefined)
      await waitFor(() => /held create: received/.test(driver.output()), 'the driver to receive Create')

      // When its host stops it (which is also what lets that Create finish)
      driver.child.kill('SIGTERM')

      // Then the host gets Create's answer, and the driver exits with 0, saying why
      assert.deepEqual(JSON.parse((await created).metadata.state!), {created: 'after the hold'})
      assert.deepEqual(await driver.exited, {code: 0, signal: null})
      assert.match(driver.output(), /shutting down: SIGTERM/)
    } finally {
      await driver.host.stop()
    }
  })
})

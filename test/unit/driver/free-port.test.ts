// The port ke hands a driver to bind: the kernel's pick on 127.0.0.1, taken from a bare TCP handle
// (no server path of Node's loaded), or by listening and closing where that handle is not to be used.
import assert from 'node:assert/strict'
import {readdirSync, readlinkSync} from 'node:fs'
import {createServer} from 'node:net'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {describe, it} from 'node:test'
import {boundPort, listenedPort, pickFreePort} from '../../../src/driver/run/ports.js'

const PORTS = fileURLToPath(new URL('../../../src/driver/run/ports.ts', import.meta.url))

/** This process's open sockets (Linux): a handle bound and left open would be one more. */
function openSockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')
    } catch {
      return false
    }
  }).length
}

function listenOn(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

describe('pickFreePort', () => {
  it('gives a port that a driver can bind on 127.0.0.1 next', async () => {
    const port = await pickFreePort()
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536, String(port))
    await listenOn(port)
  })

  it('closes the socket it bound: each port it gives is left free, no socket held', async () => {
    const before = openSockets()
    const ports = [boundPort(), boundPort(), boundPort()]
    assert.equal(openSockets(), before)
    for (const port of ports) {
      assert.ok(port !== undefined)
      await listenOn(port)
    }
  })

  // process.binding, which the bare handle comes from, is one of the APIs Node then warns of
  for (const [form, args, env] of [
    ['--pending-deprecation', ['--pending-deprecation'], {}],
    ['--pending_deprecation in NODE_OPTIONS', [], {NODE_OPTIONS: '--pending_deprecation'}],
    ['NODE_PENDING_DEPRECATION=1', [], {NODE_PENDING_DEPRECATION: '1'}],
  ] as const) {
    it(`listens and closes instead, without a warning, when Node is to warn of pending deprecations (${form})`, () => {
      const script = `import {boundPort, pickFreePort} from ${JSON.stringify(PORTS)}; console.log(JSON.stringify([boundPort() ?? null, await pickFreePort()]))`
      const child = spawnSync(process.execPath, [...args, '--import', 'tsx', '--input-type=module', '-e', script], {env: {...process.env, ...env}, encoding: 'utf8'})
      assert.equal(child.status, 0, child.stderr)
      assert.equal(child.stderr, '')
      const [bound, picked] = JSON.parse(child.stdout)
      assert.equal(bound, null)
      assert.ok(Number.isInteger(picked) && picked > 0, child.stdout)
    })
  }

  it('by listening, gives a port a driver can bind next too', async () => {
    await listenOn(await listenedPort())
  })
})

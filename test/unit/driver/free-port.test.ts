// The port ke hands a driver to bind: the kernel's pick on 127.0.0.1, taken from a bare TCP handle
// (no server path of Node's loaded), or by listening and closing where that handle is not to be used.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {afterEach, describe, it} from 'node:test'
import {boundPort, listenedPort, pickFreePort} from '../../../src/driver/run/ports.js'

function listenOn(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

describe('pickFreePort', () => {
  const saved = {options: process.env.NODE_OPTIONS, pending: process.env.NODE_PENDING_DEPRECATION}
  afterEach(() => {
    for (const [key, value] of [['NODE_OPTIONS', saved.options], ['NODE_PENDING_DEPRECATION', saved.pending]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })

  it('gives a port that a driver can bind on 127.0.0.1 next', async () => {
    const port = await pickFreePort()
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536, String(port))
    await listenOn(port)
  })

  it('closes the handle it bound: each port it gives can be bound at once', async () => {
    const ports = [boundPort(), boundPort(), boundPort()]
    for (const port of ports) {
      assert.ok(port !== undefined)
      await listenOn(port)
    }
  })

  it('listens and closes instead when Node is asked to warn of deprecated APIs (--pending-deprecation)', async () => {
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --pending-deprecation`
    assert.equal(boundPort(), undefined)
    delete process.env.NODE_OPTIONS
    process.env.NODE_PENDING_DEPRECATION = '1'
    assert.equal(boundPort(), undefined)
    const port = await pickFreePort()
    await listenOn(port)
  })

  it('by listening, gives a port a driver can bind next too', async () => {
    await listenOn(await listenedPort())
  })
})

// ke picks a driver's port by binding port 0 and closing it; another program may take the port first.
// listenerOwnedBy tells whose server answers there, so ke never takes another program for its driver.
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {listenerOwnedBy} from '../../../src/driver/run/port-owner.js'

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as {port: number}).port)))
}

describe('listenerOwnedBy (Linux /proc)', () => {
  let child: ChildProcess
  let childPort: number
  const ours = createServer()
  let oursPort: number
  before(async () => {
    // Given a driver-like child in its own process group, listening on a port it prints
    child = spawn(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"], {detached: true, stdio: ['ignore', 'pipe', 'inherit']})
    childPort = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim()))))
    // and a server of this process (another program, as the child sees it)
    oursPort = await listen(ours)
  })
  after(() => {
    child.kill('SIGKILL')
    ours.close()
  })

  it('is true for the port the process group listens on', async () => {
    assert.equal(await listenerOwnedBy(child.pid!, childPort), true)
  })

  it("is false for a port another program's server holds", async () => {
    assert.equal(await listenerOwnedBy(child.pid!, oursPort), false)
  })

  // it stops reading at the driver's listener, mid-table: the table must be closed then too
  it('leaves no /proc table open, whether it stops at the listener or reads to the end', async () => {
    const openFds = () => readdirSync('/proc/self/fd').length
    const before = openFds()
    for (let i = 0; i < 20; i++) {
      assert.equal(await listenerOwnedBy(child.pid!, childPort), true)
      assert.equal(await listenerOwnedBy(child.pid!, oursPort), false)
    }
    assert.equal(openFds(), before)
  })

  it('is undefined for a port nobody listens on', async () => {
    const closed = createServer()
    const port = await listen(closed)
    await new Promise((resolve) => closed.close(resolve))
    assert.equal(await listenerOwnedBy(child.pid!, port), undefined)
  })
})

describe('listenerOwnedBy, where the driver listens otherwise', () => {
  const children: ChildProcess[] = []
  after(() => {
    // the whole group: a wrapper's own child too
    for (const child of children) process.kill(-child.pid!, 'SIGKILL')
  })

  /** A driver-like group leader running `script`, which prints the port its group listens on. */
  async function groupListening(script: string): Promise<{pid: number; port: number}> {
    const child = spawn(process.execPath, ['-e', script], {detached: true, stdio: ['ignore', 'pipe', 'inherit']})
    children.push(child)
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim()))))
    return {pid: child.pid!, port}
  }

  it('on IPv6 (::1): true for its group, false for another program', async () => {
    const {pid, port} = await groupListening("const s=require('net').createServer().listen(0,'::1',()=>console.log(s.address().port))")
    assert.equal(await listenerOwnedBy(pid, port), true)
    assert.equal(await listenerOwnedBy(process.pid, port), false)
  })

  // what readiness asks of a driver started early: a listener that 127.0.0.1 reaches
  it('loopbackOnly: a listener on ::1 alone counts for none, one on every address (::) for its group', async () => {
    const v6 = await groupListening("const s=require('net').createServer().listen(0,'::1',()=>console.log(s.address().port))")
    assert.equal(await listenerOwnedBy(v6.pid, v6.port, {loopbackOnly: true}), undefined)
    const any = await groupListening("const s=require('net').createServer().listen(0,'::',()=>console.log(s.address().port))")
    assert.equal(await listenerOwnedBy(any.pid, any.port, {loopbackOnly: true}), true)
    const v4 = await groupListening("const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))")
    assert.equal(await listenerOwnedBy(v4.pid, v4.port, {loopbackOnly: true}), true)
  })

  it("through a process it started (a wrapper script's driver): true for the wrapper's group", async () => {
    const inner = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"
    const {pid, port} = await groupListening(`require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(inner)}], {stdio: 'inherit'}); setInterval(() => {}, 1000)`)
    assert.equal(await listenerOwnedBy(pid, port), true)
    assert.equal(await listenerOwnedBy(process.pid, port), false)
  })
})

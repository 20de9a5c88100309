// An API server that takes the connection and never answers (a hung apiserver, a black-holing proxy): a
// fault no real server produces on demand, so a stand-in on 127.0.0.1 plays it. ke must give up with one
// line, and end: the request itself, not only ke's wait for it (client-node sets no deadline).
import {after, before, describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {createServer, type Server, type Socket} from 'node:net'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {collect, makeHome, startKe, waitFor} from '../support/ke.js'

let server: Server
const sockets = new Set<Socket>()
let home: string
let dispose: () => void
let kubeconfig: string

before(async () => {
  // the stand-in: accepts, reads nothing, answers nothing, not even a TLS handshake
  server = createServer((socket) => {
    sockets.add(socket.on('error', () => {}).on('close', () => sockets.delete(socket)))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const {port} = server.address() as {port: number}
  ;({home, dispose} = makeHome('ke-silent-api-'))
  kubeconfig = join(home, 'kubeconfig.yaml')
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters:
- name: silent
  cluster: {server: 'https://127.0.0.1:${port}', insecure-skip-tls-verify: true}
users:
- name: someone
  user: {token: stand-in-token}
contexts:
- name: silent
  context: {cluster: silent, user: someone}
current-context: silent
`)
})

after(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((done) => server.close(done))
  dispose()
})

const STORE = 'kubernetes:silent/ke-clusters'
const NO_ANSWER = /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: no answer within 15 s/

describe('a Kubernetes API that never answers (stand-in)', () => {
  it('ends ke ls and ke controller with one line and exit 1 once the request deadline passes (stand-in)', async () => {
    // Given the kubeconfig of the silent stand-in
    const env = {KUBECONFIG: kubeconfig}
    // When a store command and the controller start against it (side by side: each waits out the deadline)
    const [ls, controller] = await Promise.all([
      collect(startKe(['ls', '--store', STORE], {home, env}), {timeoutMs: 45_000}),
      collect(startKe(['controller', '--store', STORE, '--no-leader-elect'], {home, env}), {timeoutMs: 45_000}),
    ])
    // Then both end (before: ls printed its error and hung, the controller printed nothing and hung),
    // each with exit 1 and one line naming the server
    assert.equal(ls.code, 1, ls.stderr)
    assert.match(ls.stderr, NO_ANSWER)
    assert.equal(ls.stderr.trim().split('\n').length, 1, ls.stderr)
    assert.equal(controller.code, 1, controller.stderr)
    assert.match(controller.stderr, NO_ANSWER)
    assert.equal(controller.stderr.trim().split('\n').length, 1, controller.stderr)
  })

  it('stops ke controller on SIGTERM while its start check waits, with exit 0 and nothing to report (stand-in)', async () => {
    // Given the controller waiting for the silent stand-in's answer to its start check
    const connectionsBefore = sockets.size
    const child = startKe(['controller', '--store', STORE, '--no-leader-elect'], {home, env: {KUBECONFIG: kubeconfig}})
    const result = collect(child, {timeoutMs: 45_000})
    await waitFor(() => sockets.size > connectionsBefore, 'the controller connecting to the stand-in')
    // When it is told to stop
    child.kill('SIGTERM')
    // Then it stops as it would once started (exit 0), without the deadline's error: it did not wait it out
    const stopped = await result
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(stopped.stderr, '')
    // and its help says so, where the EXIT CODES table it prints gives 143 to commands cut short
    const help = await collect(startKe(['controller', '--help'], {home}))
    assert.match(help.stdout.replace(/\s+/g, ' '), /then ke stops and exits 0 \(not the 143 or 130 of EXIT CODES below/)
    assert.match(help.stdout, /143 terminated \(SIGTERM\)/)
  })
})

// Issue 20, messages: `ke driver install` that would replace an installed driver with different
// contents asks at a terminal, and needs --force elsewhere; the same contents are simply reinstalled.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, afterEach, before, beforeEach, describe, it} from 'node:test'
import {startFileServer, type FileServer} from '../support/file-server.js'
import {makeHome, runKe, runKeJson} from '../support/ke.js'
import {KEY, startKeInPty} from '../support/pty.js'

// two different ELF programs published as the same driver
const OLD = readFileSync('/bin/true')
const NEW = readFileSync('/bin/false')
const V1 = '/v1/kontainer-engine-driver-lke-linux-amd64'
const V2 = '/v2/kontainer-engine-driver-lke-linux-amd64'
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')

let server: FileServer
let home: string
let dispose: () => void
const installed = () => readFileSync(join(home, 'drivers', 'kontainer-engine-driver-lke'))

before(async () => {
  server = await startFileServer({[V1]: {body: OLD}, [V2]: {body: NEW}})
})
after(() => server.close())

beforeEach(async () => {
  ;({home, dispose} = makeHome('ke-install-replace-'))
  const first = await runKe(['driver', 'install', server.url(V1)], {home})
  assert.equal(first.code, 0, first.stderr)
})
afterEach(() => dispose())

describe('ke driver install over an installed driver', () => {
  it('reinstalls the same contents, but refuses different contents without a terminal unless --force (exit 4)', async () => {
    const again = await runKeJson(['driver', 'install', server.url(V1)], {home})
    assert.equal(again.code, 0, again.stderr)
    assert.equal(again.json.replaced, true)
    assert.deepEqual(installed(), OLD)
    const refused = await runKe(['driver', 'install', server.url(V2)], {home})
    assert.equal(refused.code, 4)
    assert.equal(
      refused.stderr.split('\n').filter((line) => line.startsWith('Error:')).join('\n'),
      `Error: driver lke is already installed with different contents (sha256 ${sha(OLD).slice(0, 12)}, the download ${sha(NEW).slice(0, 12)}) and is not replaced without --force (pass --force to replace it; clusters made with driver lke then run the new one)`,
    )
    assert.deepEqual(installed(), OLD)
    const forced = await runKe(['driver', 'install', '--force', server.url(V2)], {home})
    assert.equal(forced.code, 0, forced.stderr)
    assert.deepEqual(installed(), NEW)
  })

  it('asks at a terminal, and keeps the installed driver when the answer is no', async () => {
    const pty = startKeInPty(['driver', 'install', server.url(V2)], {home})
    try {
      await pty.waitFor(/\(y\/N\)/, 'the question')
      // the terminal may wrap the question: read it with line breaks as spaces
      assert.match(pty.screen().replace(/\s+/g, ' '), new RegExp(`Driver lke is installed with different contents \\(sha256 ${sha(OLD).slice(0, 12)}\\)\\. ?Replace ?it with the download \\(sha256 ${sha(NEW).slice(0, 12)}\\)\\?`))
      pty.type(`n${KEY.enter}`)
      assert.equal(await pty.exited, 4, pty.screen())
      assert.match(pty.screen().replace(/\s+/g, ' '), /driver lke is already installed with different contents .* and was kept/)
      assert.deepEqual(installed(), OLD)
    } finally {
      pty.child.kill()
    }
  })

  it('asks at a terminal, and replaces the installed driver when the answer is yes', async () => {
    const pty = startKeInPty(['driver', 'install', server.url(V2)], {home})
    try {
      await pty.waitFor(/\(y\/N\)/, 'the question')
      pty.type(`y${KEY.enter}`)
      assert.equal(await pty.exited, 0, pty.screen())
      assert.deepEqual(installed(), NEW)
    } finally {
      pty.child.kill()
    }
  })
})

// How ke names itself in a command line it prints for the user to run (src/cli/invocation.ts): the
// way the user can run it from where they are, whatever started this process.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {keInvocation} from '../../../src/cli/invocation.js'

const PATH = '/usr/local/bin:/usr/bin'

describe('keInvocation', () => {
  it('names ke by its name when it was found on PATH, whatever the name', () => {
    assert.equal(keInvocation('/usr/local/bin/ke', '/home/me', PATH), 'ke')
    assert.equal(keInvocation('/usr/local/bin/ke-dev', '/home/me', PATH), 'ke-dev')
  })

  it('runs its script through node, by the path from the working directory when under it', () => {
    assert.equal(keInvocation('/src/ke/bin/run.js', '/src/ke', PATH), 'node -- bin/run.js')
    // a directory whose name starts with two dots is still under it
    assert.equal(keInvocation('/src/..ke/bin/run.js', '/src', PATH), 'node -- ..ke/bin/run.js')
  })

  it('names the script by its full path from elsewhere, quoted for the shell where needed', () => {
    assert.equal(keInvocation('/src/ke/bin/run.js', '/home/me', PATH), 'node -- /src/ke/bin/run.js')
    assert.equal(keInvocation("/src/my ke's/bin/run.js", '/home/me', PATH), `node -- '/src/my ke'\\''s/bin/run.js'`)
  })

  it('runs its script by path even when its directory is on PATH (run.js is no command name)', () => {
    assert.equal(keInvocation('/src/ke/bin/run.js', '/home/me', '/src/ke/bin:/usr/bin'), 'node -- /src/ke/bin/run.js')
  })

  it('names a link that is not on PATH by its path, with ./ when relative', () => {
    assert.equal(keInvocation('/proj/node_modules/.bin/ke', '/proj', PATH), './node_modules/.bin/ke')
    assert.equal(keInvocation('/proj/node_modules/.bin/ke', '/elsewhere', PATH), '/proj/node_modules/.bin/ke')
  })

  it('says plain ke for a path no printed line can carry, or none at all', () => {
    assert.equal(keInvocation('/src/a\nb/bin/run.js', '/home/me', PATH), 'ke')
    assert.equal(keInvocation('', '/home/me', PATH), 'ke')
  })
})

// The driver secret: 32 random bytes, base64url, fresh for every driver ke starts; the SDK's server
// compares what a call carries with it. ke reads them from /dev/urandom, so that bin/run.js starts a
// driver without loading node:crypto first; where that cannot be read, node:crypto makes them.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs, {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it, mock} from 'node:test'
import {isDriverSecret, newDriverSecret} from '../../../src/protocol/secret.js'
import {ROOT} from '../../support/ke.js'

function assertSecrets(secrets: string[]): void {
  for (const secret of secrets) {
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(Buffer.from(secret, 'base64url').length, 32)
  }
  assert.equal(new Set(secrets).size, secrets.length)
  // no byte value stuck: 2 KiB of random bytes hold nearly all 256 values
  const seen = new Set(secrets.flatMap((secret) => [...Buffer.from(secret, 'base64url')]))
  assert.ok(seen.size > 200, `only ${seen.size} distinct byte values`)
}

/** newDriverSecret with `name` of node:fs replaced by `stand-in` (the ESM bindings follow it). */
function secretsWithout(name: 'openSync' | 'readSync', standIn: () => never | number): string[] {
  const replaced = mock.method(fs, name, standIn)
  syncBuiltinESMExports()
  try {
    return Array.from({length: 64}, () => newDriverSecret())
  } finally {
    replaced.mock.restore()
    syncBuiltinESMExports()
  }
}

describe('the driver secret', () => {
  it('is 32 bytes as base64url, and a new one every time', () => {
    assertSecrets(Array.from({length: 64}, () => newDriverSecret()))
  })

  it('comes from node:crypto where /dev/urandom cannot be opened, read, or reads short', () => {
    assertSecrets(secretsWithout('openSync', () => { throw Object.assign(new Error('no such file'), {code: 'ENOENT'}) }))
    assertSecrets(secretsWithout('readSync', () => { throw Object.assign(new Error('not permitted'), {code: 'EPERM'}) }))
    assertSecrets(secretsWithout('readSync', () => 0))
  })

  it("is made without node:crypto in bin/run.js's early start (dist/b/early.cjs)", () => {
    // a file, not -e: Node's -e loads node:crypto itself
    const dir = mkdtempSync(join(tmpdir(), 'ke-secret-'))
    const script = join(dir, 'early.cjs')
    writeFileSync(script, `require(${JSON.stringify(join(ROOT, 'dist', 'b', 'early.cjs'))}); process.stdout.write(String(process.moduleLoadList.includes('NativeModule crypto')))`)
    try {
      assert.equal(execFileSync(process.execPath, [script], {encoding: 'utf8'}), 'false')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('is told from anything else a call may carry', () => {
    const secret = newDriverSecret()
    assert.equal(isDriverSecret(secret, secret), true)
    assert.equal(isDriverSecret(secret, newDriverSecret()), false)
    assert.equal(isDriverSecret(secret, secret.slice(1)), false)
    assert.equal(isDriverSecret(secret, undefined), false)
    assert.equal(isDriverSecret(secret, Buffer.from(secret)), false)
  })
})

// The driver secret: 32 random bytes, base64url, fresh for every driver ke starts; the SDK's server
// compares what a call carries with it.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {isDriverSecret, newDriverSecret} from '../../../src/protocol/secret.js'

describe('the driver secret', () => {
  it('is 32 bytes as base64url, and a new one every time', () => {
    const secrets = Array.from({length: 64}, () => newDriverSecret())
    for (const secret of secrets) {
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/)
      assert.equal(Buffer.from(secret, 'base64url').length, 32)
    }
    assert.equal(new Set(secrets).size, secrets.length)
    // no byte value stuck: 2 KiB of random bytes hold nearly all 256 values
    const seen = new Set(secrets.flatMap((secret) => [...Buffer.from(secret, 'base64url')]))
    assert.ok(seen.size > 200, `only ${seen.size} distinct byte values`)
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

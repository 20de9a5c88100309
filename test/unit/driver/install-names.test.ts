// How an installed driver is named and how --checksum is read: Rancher's rules (PROTOCOL.md "How
// Rancher installs a driver from a URL").
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {nameFromUrl} from '../../../src/driver/install/install.js'
import {parseChecksum} from '../../../src/driver/install/checksum.js'
import {validateDriverName} from '../../../src/driver/install/installed.js'
import {KeError} from '../../../src/errors.js'

describe('nameFromUrl', () => {
  for (const [url, name] of [
    ['https://github.com/linode/kontainer-engine-driver-lke/releases/download/v0.0.13/kontainer-engine-driver-lke-v0.0.13-linux-amd64', 'lke'],
    ['https://example.com/kontainer-engine-driver-otccce_linux_amd64', 'otccce'],
    ['https://example.com/kontainer-engine-driver-oke.linux', 'oke'],
    ['https://example.com/kontainer-engine-driver-plain', 'plain'],
    ['https://example.com/kontainer-engine-driver-lke?token=abc', 'lke'],
  ]) {
    it(`names ${new URL(url).pathname.split('/').pop()} ${name}`, () => {
      assert.equal(nameFromUrl(new URL(url)), name)
    })
  }

  it('refuses a URL whose last part lacks the prefix or gives an empty name', () => {
    assert.throws(() => nameFromUrl(new URL('https://example.com/driver-lke')), (e: KeError) => e.keCode === 'BAD_ARGUMENT')
    assert.throws(() => nameFromUrl(new URL('https://example.com/kontainer-engine-driver--x')), /gives an empty driver name/)
  })
})

describe('parseChecksum', () => {
  it('picks the algorithm by length, trimmed and lower-cased', () => {
    assert.deepEqual(parseChecksum(` ${'A'.repeat(32)}\n`), {algorithm: 'md5', hex: 'a'.repeat(32), weak: true})
    assert.equal(parseChecksum('b'.repeat(40)).algorithm, 'sha1')
    assert.equal(parseChecksum('c'.repeat(64)).algorithm, 'sha256')
    assert.equal(parseChecksum('d'.repeat(128)).algorithm, 'sha512')
  })

  it('rejects other lengths and non-hex text as usage errors', () => {
    for (const bad of ['', 'abc', 'e'.repeat(65), `sha256:${'f'.repeat(57)}`]) {
      assert.throws(() => parseChecksum(bad), (e: KeError) => e.keCode === 'BAD_FLAG' && e.exitCode === 2, bad)
    }
  })
})

describe('validateDriverName', () => {
  it('accepts plain names and refuses paths, empty names and built-in names', () => {
    assert.equal(validateDriverName('lke-v1.2_x', '--name'), 'lke-v1.2_x')
    for (const bad of ['', '../x', 'a/b', '-x', '.hidden', 'sample']) {
      assert.throws(() => validateDriverName(bad, '--name'), (e: KeError) => e.keCode === 'BAD_FLAG', bad)
    }
  })
})

// Checksums of downloaded drivers, chosen the way Rancher chooses them: by the length of the hex
// string the user gives (PROTOCOL.md "How Rancher installs a driver from a URL").
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {KeError} from '../../errors.js'

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512'

/** Hex length -> algorithm; Rancher knows no other lengths. */
const BY_LENGTH: Record<number, HashAlgorithm> = {32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512'}

export interface ExpectedChecksum {
  algorithm: HashAlgorithm
  /** Trimmed and lower-case, as Rancher compares it. */
  hex: string
  /** md5: still accepted (Rancher deprecates it but accepts it), with a warning. */
  weak: boolean
}

/** Reads `--checksum`; any length but 32, 40, 64 or 128 hex digits is a usage error. */
export function parseChecksum(text: string): ExpectedChecksum {
  const hex = text.trim().toLowerCase()
  const algorithm = BY_LENGTH[hex.length]
  if (!algorithm) {
    throw new KeError('BAD_FLAG', `--checksum has ${hex.length === 1 ? '1 character' : `${hex.length} characters`}; expected 32 (md5), 40 (sha1), 64 (sha256) or 128 (sha512) hex digits`, {
      hint: 'e.g. --checksum "$(sha256sum kontainer-engine-driver-NAME | cut -d" " -f1)"',
    })
  }
  if (!/^[0-9a-f]+$/.test(hex)) {
    throw new KeError('BAD_FLAG', `--checksum is not hexadecimal (${algorithm} length, but contains other characters)`, {hint: 'pass the hex digest only, without a prefix such as sha256:'})
  }
  return {algorithm, hex, weak: algorithm === 'md5'}
}

export async function hashFile(path: string, algorithm: HashAlgorithm): Promise<string> {
  const hash = createHash(algorithm)
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Throws CHECKSUM_MISMATCH naming both hashes, so the user can tell a wrong pin from a wrong file. */
export function assertChecksum(expected: ExpectedChecksum, actual: string, url: string): void {
  if (actual === expected.hex) return
  throw new KeError('CHECKSUM_MISMATCH', `checksum mismatch for ${url}: expected ${expected.algorithm} ${expected.hex}, got ${actual}; nothing was installed`, {
    hint: 'check the URL and the checksum the driver publishes; an HTML error page or a different release also gives this',
  })
}

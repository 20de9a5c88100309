// The driver secret: a fresh random value ke puts in the environment of each driver it starts and
// sends as gRPC metadata on every call. An SDK driver given one answers only calls that carry it, so
// another local user cannot call Create or Remove on its port. Drivers started without it (by Rancher,
// by hand, by a Go host) answer every call, as all drivers of this protocol always have.
import {timingSafeEqual} from 'node:crypto'
import {closeSync, openSync, readSync} from 'node:fs'
import {createRequire} from 'node:module'

/** The environment variable that carries the secret to the driver. */
export const DRIVER_SECRET_ENV = 'KE_DRIVER_SECRET'
/** The gRPC metadata key that carries it back on each call (lowercase, as HTTP/2 headers are). */
export const DRIVER_SECRET_METADATA = 'ke-driver-secret'

export function newDriverSecret(): string {
  return (kernelRandomBytes(32) ?? cryptoRandomBytes(32)).toString('base64url')
}

/**
 * From the kernel's CSPRNG, as node:crypto's are, where there is a /dev/urandom to read: bin/run.js
 * makes a secret just before it starts a driver early, and loading node:crypto there (~2 ms) delayed
 * every driver's start (test/unit/protocol/secret.test.ts checks early.cjs loads none). Undefined
 * where it cannot be read (Windows, a sandbox): node:crypto then.
 */
function kernelRandomBytes(size: number): Buffer | undefined {
  let fd: number
  try {
    fd = openSync('/dev/urandom', 'r')
  } catch {
    return undefined
  }
  try {
    const bytes = Buffer.alloc(size)
    return readSync(fd, bytes, 0, size, null) === size ? bytes : undefined
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Required here, not imported: an import would load node:crypto in early.cjs, fallback or not. */
function cryptoRandomBytes(size: number): Buffer {
  const {randomBytes} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  return randomBytes(size)
}

/** Compares in constant time, so the answer's timing tells a caller nothing about the secret. */
export function isDriverSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

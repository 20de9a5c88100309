// The driver secret: a fresh random value ke puts in the environment of each driver it starts and
// sends as gRPC metadata on every call. An SDK driver given one answers only calls that carry it, so
// another local user cannot call Create or Remove on its port. Drivers started without it (by Rancher,
// by hand, by a Go host) answer every call, as all drivers of this protocol always have.
import {randomBytes, timingSafeEqual} from 'node:crypto'

/** The environment variable that carries the secret to the driver. */
export const DRIVER_SECRET_ENV = 'KE_DRIVER_SECRET'
/** The gRPC metadata key that carries it back on each call (lowercase, as HTTP/2 headers are). */
export const DRIVER_SECRET_METADATA = 'ke-driver-secret'

export function newDriverSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** Compares in constant time, so the answer's timing tells a caller nothing about the secret. */
export function isDriverSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

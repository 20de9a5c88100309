// Fixture drivers: small SDK programs in test/fixtures/drivers, run as real processes through a tiny
// executable wrapper, the way a user points ke at a driver binary.
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './ke.js'

export function fixturePath(name: string): string {
  return join(ROOT, 'test', 'fixtures', 'drivers', `${name}.ts`)
}

/** Writes `kontainer-engine-driver-<name>` into `dir`, running the fixture with tsx; returns its path. */
export function fixtureDriver(name: string, dir: string): string {
  const file = join(dir, `kontainer-engine-driver-${name}`)
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${fixturePath(name)}" "$@"\n`)
  chmodSync(file, 0o755)
  return file
}

/** Writes an executable shell script driver (for drivers that misbehave before speaking gRPC). */
export function scriptDriver(dir: string, name: string, body: string): string {
  const file = join(dir, `kontainer-engine-driver-${name}`)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

// Fixture drivers: small SDK programs in test/fixtures/drivers, run as real processes through a tiny
// executable wrapper, the way a user points ke at a driver binary.
import {buildSync} from 'esbuild'
import {chmodSync, mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './ke.js'

export function fixturePath(name: string): string {
  return join(ROOT, 'test', 'fixtures', 'drivers', `${name}.ts`)
}

// two levels below the root, as src/protocol/ is: the SDK finds proto/drivers.proto from its module's URL
const BUILT_DIR = join(ROOT, 'test', '.fixture-drivers')
const built = new Map<string, string>()

/**
 * The fixture with the SDK's source as one JavaScript file. Node starts it as it starts any driver:
 * started through tsx, each fixture driver cost ~0.6 s more of CPU (the loader's own thread), and the
 * suite starts hundreds of them on 2 cores.
 */
export function builtFixture(name: string): string {
  const known = built.get(name)
  if (known) return known
  const file = join(BUILT_DIR, `${name}.mjs`)
  mkdirSync(BUILT_DIR, {recursive: true})
  // test files run two at a time and may build the same fixture: each writes its own, then renames
  const partial = `${file}.${process.pid}`
  buildSync({entryPoints: [fixturePath(name)], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', outfile: partial, logLevel: 'error'})
  renameSync(partial, file)
  built.set(name, file)
  return file
}

/** The shell line that runs a fixture with the wrapper's arguments. */
export function fixtureExec(name: string): string {
  return `exec "${process.execPath}" "${builtFixture(name)}" "$@"`
}

/** Writes `kontainer-engine-driver-<name>` into `dir`, running the fixture; returns its path. */
export function fixtureDriver(name: string, dir: string): string {
  return scriptDriver(dir, name, fixtureExec(name))
}

/** Writes an executable shell script driver (for drivers that misbehave before speaking gRPC). */
export function scriptDriver(dir: string, name: string, body: string): string {
  const file = join(dir, `kontainer-engine-driver-${name}`)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

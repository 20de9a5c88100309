// The tests as plain JavaScript, for scripts/test.js and test-alone.js (which also share finding the test
// files and the report of an interruption here): every .ts file of src/ and test/ compiled by esbuild
// (types stripped, file by file, as tsx does) into a copy of the repository's layout whose other files
// are symlinks to their originals, so that a path a test builds from its own URL (../../bin/run.js, a
// fixture, the manifest) reaches the same file. Why: tsx's loader costs each test process ~0.3 s to start
// and sends every import through its hooks thread; the unit tests took half the time without it.
import {build} from 'esbuild'
import {existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import {dirname, join, relative} from 'node:path'
import {isAlive} from '../dist/os/processes.js'

const COMPILED_DIRS = ['src', 'test']
const BUILDS = '.test-build'

/** The test files under `dir` (a path as given, joined), but for node_modules and hidden folders. */
export function findTests(dir) {
  const found = []
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) found.push(...findTests(path))
    else if (entry.endsWith('.test.ts')) found.push(path)
  }
  return found
}

/** This process's folder of compiled tests: `.test-build/run-<pid>`. */
export function compiledTestsFolder(root) {
  return join(root, BUILDS, `run-${process.pid}`)
}

/** Compiles into compiledTestsFolder(root) and returns it; `removeCompiledTests` removes it. */
export async function compileTests(root) {
  const builds = join(root, BUILDS)
  removeAbandoned(builds)
  const out = compiledTestsFolder(root)
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})
  const sources = []
  for (const dir of COMPILED_DIRS) mirror(root, out, join(root, dir), sources)
  for (const entry of readdirSync(root)) {
    if (!COMPILED_DIRS.includes(entry) && entry !== BUILDS && entry !== '.git') symlinkSync(join(root, entry), join(out, entry))
  }
  // inline source maps: scripts/test.js runs with --enable-source-maps, so a failure names the .ts line
  await build({entryPoints: sources, outdir: out, outbase: root, bundle: false, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'warning'})
  return out
}

/**
 * compileTests, or on failure one line and exit 1, the half-made folder removed. A Ctrl-C stops
 * esbuild's service too (same process group), and the failed build may reach us before the signal
 * does: the caller's handler for it is given a moment to report the interruption instead.
 */
export async function compileTestsOrExit(root) {
  try {
    return await compileTests(root)
  } catch (error) {
    removeCompiledTests(compiledTestsFolder(root))
    await new Promise((resolve) => setTimeout(resolve, 100))
    console.error(`cannot compile the tests: ${error.message.split('\n')[0]}`)
    process.exit(1)
  }
}

/** Says the run was interrupted, as ke does, and returns its exit code: 128 + the signal's number. */
export function reportInterrupted(signal) {
  console.error(`interrupted (${signal})`)
  return 128 + os.constants.signals[signal]
}

/** Removes `out`, and `.test-build` with it unless another run's folder is there. */
export function removeCompiledTests(out) {
  rmSync(out, {recursive: true, force: true})
  try {
    rmdirSync(dirname(out))
  } catch {
    // another run's folder is in it (ENOTEMPTY), or it is gone already
  }
}

/**
 * Folders as folders, each file as a symlink beside its compiled .js; hidden folders (the caches tests
 * fill, which they find through test support's ROOT, the checkout itself) as symlinks.
 */
function mirror(root, out, dir, sources) {
  mkdirSync(join(out, relative(root, dir)), {recursive: true})
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    const copy = join(out, relative(root, path))
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      mirror(root, out, path, sources)
      continue
    }
    symlinkSync(path, copy)
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) sources.push(path)
  }
}

/** The folders of runs whose process is gone (ended by a signal that left no time to clean up). */
function removeAbandoned(builds) {
  if (!existsSync(builds)) return
  for (const name of readdirSync(builds)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1])
    if (pid && !isAlive(pid)) rmSync(join(builds, name), {recursive: true, force: true})
  }
}

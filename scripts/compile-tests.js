// The tests as plain JavaScript, for scripts/test.js: every .ts file of src/ and test/ compiled by esbuild
// (types stripped, file by file, as tsx does) into a copy of the repository's layout whose other files
// are symlinks to their originals, so that a path a test builds from its own URL (../../bin/run.js, a
// fixture, the manifest) reaches the same file. Why: tsx's loader costs each test process ~0.3 s to start
// and sends every import through its hooks thread; the unit tests took half the time without it.
import {build} from 'esbuild'
import {existsSync, mkdirSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {join, relative} from 'node:path'

const COMPILED_DIRS = ['src', 'test']
/** Caches the tests fill (.gitignore'd): kept in the checkout, so that the next run finds them. */
const CACHE_DIRS = [join('test', 'go', '.build'), join('test', '.fixture-drivers')]
const BUILDS = '.test-build'

/** Compiles into `.test-build/run-<pid>` and returns that folder; `removeCompiledTests` removes it. */
export async function compileTests(root) {
  const builds = join(root, BUILDS)
  removeAbandoned(builds)
  const out = join(builds, `run-${process.pid}`)
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})
  for (const dir of CACHE_DIRS) mkdirSync(join(root, dir), {recursive: true})
  const sources = []
  for (const dir of COMPILED_DIRS) mirror(root, out, join(root, dir), sources)
  for (const entry of readdirSync(root)) {
    if (!COMPILED_DIRS.includes(entry) && entry !== BUILDS && entry !== '.git') symlinkSync(join(root, entry), join(out, entry))
  }
  // inline source maps: `NODE_OPTIONS=--enable-source-maps` points a failure at the .ts line
  await build({entryPoints: sources, outdir: out, outbase: root, bundle: false, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'warning'})
  return out
}

export function removeCompiledTests(out) {
  rmSync(out, {recursive: true, force: true})
}

/** Folders as folders, each file as a symlink beside its compiled .js; hidden folders (caches) as symlinks. */
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
    if (pid && !isRunning(pid)) rmSync(join(builds, name), {recursive: true, force: true})
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

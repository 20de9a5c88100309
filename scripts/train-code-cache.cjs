// Run by scripts/bundle.js in a fresh node without flags (as bin/run.js runs): V8's code cache of the
// files that `ke create`, `ke env` and `ke rm` run from their code cache (dist/b/direct/, its lazy/,
// dist/b/vendor/), made after a real create, env and rm with the built-in sample driver in a throw-away
// KE_HOME. A cache made right after loading a file holds only the code that ran while it loaded; every
// function first called later (the parse, the gRPC channel and call, the records) was compiled anew on
// every run. The files the sample driver runs from a code cache are trained in its own process
// (train-driver-code-cache.cjs), on the same create.
//
// The file oclif runs from (oclif with ke's commands) is trained on what a newcomer runs through it:
// help, and a command of a topic.
//
// usage: node train-code-cache.cjs DIRECT_LOADER OCLIF_MAIN FILE=CACHE... [--driver FILE=CACHE...]
// exits non-zero if a command failed or a file did not load; the caches it made are kept
'use strict'
const {existsSync, mkdtempSync, rmSync, writeFileSync} = require('node:fs')
const {tmpdir} = require('node:os')
const {dirname, join} = require('node:path')
const {recordScripts} = require('./record-scripts.cjs')

const [directLoader, oclifMain, ...pairs] = process.argv.slice(2)
const driverFrom = pairs.includes('--driver') ? pairs.indexOf('--driver') : pairs.length
const targets = pairs.slice(0, driverFrom)
const driverTargets = pairs.slice(driverFrom + 1)

const scripts = recordScripts()
/** Where oclif finds package.json and its manifest, as bin/run.js tells it. */
const PACKAGE_ROOT = dirname(__dirname)

const written = new Set()

/** Writes the cache of each target loaded by now whose cache is not yet written. */
function writeLoadedCaches() {
  for (const target of targets) {
    const [file, cache] = target.split('=')
    const script = scripts.get(file)
    if (!script || written.has(file)) continue
    writeFileSync(cache, script.createCachedData())
    written.add(file)
  }
}

async function train() {
  const dir = mkdtempSync(join(tmpdir(), 'ke-train-'))
  try {
    // none of the builder's own ke settings (a store, driver options, KE_DIRECT=0), nor DEBUG, which
    // sends these command lines through oclif (src/cli/direct-argv.ts); the driver gets ke's environment
    // (driver/run/env.ts), and its cloud is a directory (KE_SAMPLE_CLOUD)
    for (const name of Object.keys(process.env)) if (name.startsWith('KE_') || name === 'DEBUG') delete process.env[name]
    Object.assign(process.env, {KE_HOME: join(dir, 'home'), KE_SAMPLE_CLOUD: join(dir, 'cloud')})
    // for the driver ke starts: this process itself started without them
    Object.assign(process.env, {NODE_OPTIONS: `--require ${JSON.stringify(join(__dirname, 'train-driver-code-cache.cjs'))}`, KE_TRAIN_DRIVER_CACHES: driverTargets.join('\n')})
    const {runDirect} = require(directLoader)
    for (const argv of [['create', '--driver', 'sample', 'trained'], ['env', 'trained'], ['rm', '-y', 'trained']]) {
      if (!(await runDirect(argv, process.env)) || process.exitCode) throw new Error(`ke ${argv.join(' ')} failed`)
    }
    // before oclif runs: should it fail (its error handler may exit the process), these stay trained
    writeLoadedCaches()
    const {execute} = require(oclifMain)
    for (const args of [['--help'], ['create', '--help'], ['driver', 'ls']]) {
      await execute({dir: PACKAGE_ROOT, args})
      if (process.exitCode) throw new Error(`ke ${args.join(' ')} failed`)
    }
    writeLoadedCaches()
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  const unloaded = targets.map((target) => target.split('=')[0]).filter((file) => !written.has(file))
  if (unloaded.length > 0) throw new Error(`${unloaded.join(', ')} was not loaded`)
  const untrained = driverTargets.map((target) => target.split('=')).filter(([, cache]) => !existsSync(cache))
  if (untrained.length > 0) throw new Error(`the sample driver did not load ${untrained.map(([file]) => file).join(', ')}`)
}

train().catch((error) => {
  process.stderr.write(`${error.message}\n`)
  process.exitCode = 1
})

// Run by scripts/bundle.js in a fresh node without flags (as bin/run.js runs): V8's code cache of the
// files that `ke create`, `ke env` and `ke rm` run from their code cache (dist/b/direct/, its lazy/,
// dist/b/vendor/), made after a real create, env and rm with the built-in sample driver in a throw-away
// KE_HOME. A cache made right after loading a file holds only the code that ran while it loaded; every
// function first called later (the parse, the gRPC channel and call, the records) was compiled anew on
// every run.
//
// usage: node train-code-cache.cjs DIRECT_LOADER FILE=CACHE...   exits non-zero if a command failed or
// a file did not load
'use strict'
const vm = require('node:vm')
const {mkdtempSync, rmSync, writeFileSync} = require('node:fs')
const {tmpdir} = require('node:os')
const {join} = require('node:path')

const [directLoader, ...targets] = process.argv.slice(2)

/** Every script the run compiles, by file: os/code-cache.ts makes them with node:vm's Script. */
const scripts = new Map()
vm.Script = class TrainedScript extends vm.Script {
  constructor(code, options) {
    super(code, options)
    scripts.set(options?.filename, this)
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
    const {runDirect} = require(directLoader)
    for (const argv of [['create', '--driver', 'sample', 'trained'], ['env', 'trained'], ['rm', '-y', 'trained']]) {
      if (!(await runDirect(argv, process.env)) || process.exitCode) throw new Error(`ke ${argv.join(' ')} failed`)
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  for (const target of targets) {
    const [file, cache] = target.split('=')
    const script = scripts.get(file)
    if (!script) throw new Error(`${file} was not loaded`)
    writeFileSync(cache, script.createCachedData())
  }
}

train().catch((error) => {
  process.stderr.write(`${error.message}\n`)
  process.exitCode = 1
})

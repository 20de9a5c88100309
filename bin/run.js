#!/usr/bin/env -S node --
// `node --` ends node's own options: Node 20 would otherwise read `--env-file` anywhere in argv.
// The ke executable. Start-up cost matters in CI loops and shell prompts: `--version` and the plain
// forms of `ke ls` are answered before oclif loads (src/cli/fast-ls.ts; KE_FAST_LS=0 turns that off),
// `ke create`, `rm` and the other commands on one cluster (`env`, `kubeconfig`, `inspect`, `logs`,
// `update`, `capabilities`, `version`, `size`, `etcd`) run without loading oclif at all (src/cli/direct.ts;
// KE_DIRECT=0 turns that off), and a command's driver is started first, so that it boots while ke loads
// (README "Speed and memory"); the rest run through oclif, which comes with ke's commands from one file
// run from V8's code cache (src/cli/oclif-loader.ts). This file is CommonJS (bin/package.json), and so
// is all that ke's commands load: the first ES module a process loads costs it Node's ES module loader
// (~6 ms of a create, ~14 of an ls).
'use strict'
const {readFileSync, writeSync} = require('node:fs')
const {join} = require('node:path')

const ROOT = join(__dirname, '..')
const args = process.argv.slice(2)
const DRIVER_COMMANDS = new Set(['create', 'rm', 'remove', 'update', 'capabilities', 'version', 'size', 'etcd', 'get-version', 'set-version', 'get-cluster-size', 'set-cluster-size'])
const LS_COMMANDS = new Set(['ls', 'list'])
/** The first words of src/cli/direct-argv.ts's DIRECT_WORDS: only these load its bundle. */
const DIRECT_COMMANDS = new Set([
  'create', 'rm', 'remove', 'env', 'kubeconfig', 'inspect', 'logs', 'update', 'capabilities',
  'version', 'get-version', 'set-version', 'size', 'get-cluster-size', 'set-cluster-size', 'etcd',
])

async function main() {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v' || args[0] === 'version')) {
    const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    try {
      // to the descriptor: making process.stdout costs more than all the rest of this answer
      writeSync(1, `ke/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
    } catch (error) {
      // a reader that closed early (`ke --version | head -c0`) is no failure of ke's
      if (error.code === 'EPIPE') return
      process.stderr.write(`Error: cannot write the version to stdout: ${error.message}\n`)
      process.exitCode = 1
    }
    return
  }
  // false for any form it does not answer exactly as oclif would: then oclif runs it
  if (LS_COMMANDS.has(args[0]) && process.env.KE_FAST_LS !== '0' && (await require('../dist/b/fast-ls.cjs').fastLs(args, process.env))) return
  // the driver boots while ke loads (src/driver/run/early-start.ts)
  if (DRIVER_COMMANDS.has(args[0])) await require('../dist/b/early.cjs').startDriverEarly(args)
  // false for a command line oclif must run (help, KE_DIRECT=0)
  if (DIRECT_COMMANDS.has(args[0]) && (await require('../dist/b/direct/direct-loader.cjs').runDirect(args, process.env))) return
  const {execute} = require('../dist/b/direct/oclif-main.cjs')
  // the package's root, where oclif finds package.json (from this file it would find bin/package.json)
  await execute({dir: ROOT})
}

// Once nothing is left to do, exit through process.exit: a natural exit first frees every object and
// page of the heap one by one (Node's FreeEnvironment), which the kernel does anyway at exit, ~1 ms of
// every command and more after a large `ls --json`. 'beforeExit' comes only when the event loop is
// empty, so nothing pending is cut short; the exit code is process.exitCode as always. Listeners added
// to 'beforeExit' later would not run: neither ke nor what it loads adds one.
process.once('beforeExit', () => process.exit())

// a failure here is a bug in ke: Node reports it (an unhandled rejection) and exits 1
main()

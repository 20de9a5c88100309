#!/usr/bin/env node
// Runs every test file with node's own test runner, compiled to JavaScript first (scripts/compile-tests.js).
// Usage: node scripts/test.js [path-fragment ...]   e.g. `node scripts/test.js test/go`
// When a chosen file uses the real Kubernetes control plane (test/support/kubernetes.ts), one is started
// here for the whole run, while the first files run, and stopped at the end (also on Ctrl-C).
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {spawn} from 'node:child_process'
import {compileTestsOrExit, compiledTestsFolder, findTests, removeCompiledTests, reportInterrupted} from './compile-tests.js'

// `./test/unit` as `test/unit`: fragments are matched against paths as findTests gives them
const filters = process.argv.slice(2).map((filter) => filter.replace(/^(\.\/)+/, ''))
const files = findTests('test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort()
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`)
  process.exit(1)
}

/** Starts the run's control plane (see test/support/kubernetes-supervisor.ts); it also stops when we are gone. */
function startKubernetes(compiled) {
  const dir = mkdtempSync(join(tmpdir(), 'ke-kube-'))
  const supervisor = spawn(
    process.execPath,
    [join(compiled, 'test', 'support', 'kubernetes-supervisor.js'), dir, String(process.pid)],
    {detached: true, stdio: 'ignore'},
  )
  const exited = new Promise((resolve) => supervisor.once('exit', resolve))
  return {
    env: {KE_TEST_KUBE_DIR: dir},
    stop: () => {
      supervisor.kill('SIGTERM')
      return exited
    },
  }
}

// Ctrl-C reaches the runner through the terminal; here it only must not end us before the clean-up
let interrupted
let runner
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = signal
    if (runner) return runner.kill(signal)
    // still compiling: nothing else to stop
    removeCompiledTests(compiledTestsFolder(process.cwd()))
    process.exit(reportInterrupted(signal))
  })
}

const compiled = await compileTestsOrExit(process.cwd())
const usesKubernetes = files.some((file) => readFileSync(file, 'utf8').includes('support/kubernetes.js'))
const kubernetes = usesKubernetes && !process.env.KE_TEST_KUBE_DIR ? startKubernetes(compiled) : undefined
runner = spawn(
  process.execPath,
  // a failure's stack and location name the .ts line, not one of the copy removed at the end (~10% of the unit tests' time)
  ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files.map((file) => join(compiled, file.replace(/\.ts$/, '.js')))],
  {stdio: 'inherit', env: {...process.env, ...kubernetes?.env}},
)
const [code, signal] = await new Promise((resolve) => runner.once('exit', (...args) => resolve(args)))
await kubernetes?.stop()
removeCompiledTests(compiled)
// the runner may end on its own after a Ctrl-C (exit 1) or by the signal: either way, say so as ke would
const stoppedBy = interrupted ?? signal
process.exit(stoppedBy ? reportInterrupted(stoppedBy) : code)

#!/usr/bin/env node
// Runs every test of the given test files by itself (node --test --test-name-pattern='^name$'), to prove
// that no test leans on what an earlier one left behind. Not part of `npm test`: it starts each file once
// per test. Build first (`npm run build`). The files run compiled, as in scripts/test.js.
// Usage: node scripts/test-alone.js [--jobs N] FILE|FOLDER... [-- NAME-REGEX]
//   e.g. node scripts/test-alone.js test/e2e/create.test.ts
//        node scripts/test-alone.js --jobs 2 test/unit/cli
//        node scripts/test-alone.js test/e2e/logs.test.ts -- follows
// The test names are read by running the file once with a pattern nothing matches, so names built in
// loops are found too; this file is also the reporter that prints them. Node 20 matches the pattern
// against a test's own name (not its suite's), so tests of one file that share a name run together.
import {spawn} from 'node:child_process'
import {existsSync, statSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {compileTestsOrExit, compiledTestsFolder, findTests, removeCompiledTests, reportInterrupted} from './compile-tests.js'

const SELF = fileURLToPath(import.meta.url)
const MATCH_NOTHING = '^(?!)$'

/** Reporter mode: one JSON line per test (not suite) that the runner reports, with its name. */
export default async function* testNames(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    if (event.data.details?.type === 'suite') continue
    yield `${JSON.stringify({name: event.data.name, file: event.data.file})}\n`
  }
}

/** The test processes running now, stopped with this one. */
const children = new Set()

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe']})
    children.add(child)
    child.once('exit', () => children.delete(child))
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (output += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (output += d))
    child.on('close', (code) => resolve({code, output}))
  })
}

/** A test file as given, or the test files under a folder (a path that is neither is kept, to be refused). */
function testFilesAt(path) {
  return existsSync(path) && statSync(path).isDirectory() ? findTests(path).sort() : [path]
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

async function listTests(file) {
  const {output} = await run(['--test', `--test-name-pattern=${MATCH_NOTHING}`, `--test-reporter=${SELF}`, file])
  const names = []
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue
    const {name} = JSON.parse(line)
    if (!names.includes(name)) names.push(name)
  }
  if (names.length === 0) throw new Error(`found no tests in ${file}:\n${output}`)
  return names
}

async function runAlone(file, name) {
  const pattern = `^${escapeRegExp(name)}$`
  const {code, output} = await run(['--enable-source-maps', '--test', `--test-name-pattern=${pattern}`, '--test-reporter=spec', file])
  const passed = /^ℹ pass (\d+)$/m.exec(output)?.[1]
  // A pattern that ran nothing proves nothing: count that as a failure too.
  const ok = code === 0 && Number(passed) >= 1
  return {ok, ran: Number(passed ?? 0), output}
}

async function main() {
  const argv = process.argv.slice(2)
  let jobs = 1
  const files = []
  let only
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') jobs = Number(argv[++i])
    else if (argv[i] === '--') {
      only = new RegExp(argv.slice(i + 1).join(' '))
      break
    } else files.push(...testFilesAt(relative(process.cwd(), resolve(argv[i]))))
  }
  if (files.length === 0 || !(jobs >= 1)) {
    console.error('usage: node scripts/test-alone.js [--jobs N] FILE|FOLDER... [-- NAME-REGEX]')
    process.exit(2)
  }
  const missing = files.filter((file) => !/^test\/.*\.test\.ts$/.test(file) || !existsSync(file))
  if (missing.length > 0) {
    console.error(`not a test file or folder of this checkout: ${missing.join(', ')} (from the checkout's root, give files like test/e2e/create.test.ts or folders like test/unit)`)
    process.exit(2)
  }
  // the copy goes with this process (also when interrupted while it is made), the test processes before it
  process.on('exit', () => removeCompiledTests(compiledTestsFolder(process.cwd())))
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const child of children) child.kill(signal)
      process.exit(reportInterrupted(signal))
    })
  }
  const compiled = await compileTestsOrExit(process.cwd())
  const compiledOf = (file) => join(compiled, file.replace(/\.ts$/, '.js'))
  const work = []
  for (const file of files) {
    for (const name of await listTests(compiledOf(file))) if (!only || only.test(name)) work.push({file, name})
  }
  if (work.length === 0) {
    console.error(`no test of ${files.join(', ')} has a name that matches ${only} (the pattern after -- is a regular expression for test names)`)
    process.exit(2)
  }
  console.log(`running ${work.length === 1 ? '1 test' : `${work.length} tests`}, each in a process of its own, ${jobs} at a time`)
  const failures = []
  let next = 0
  async function worker() {
    while (next < work.length) {
      const item = work[next++]
      const started = Date.now()
      const result = await runAlone(compiledOf(item.file), item.name)
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${item.file} › ${item.name} (${seconds}s)`)
      if (!result.ok) failures.push({...item, ...result})
    }
  }
  await Promise.all(Array.from({length: jobs}, worker))
  for (const failure of failures) {
    console.log(`\n=== FAIL ${failure.file} › ${failure.name} (tests passed: ${failure.ran})\n${failure.output}`)
  }
  console.log(`\n${work.length - failures.length} of ${work.length} tests pass alone`)
  process.exit(failures.length === 0 ? 0 : 1)
}

if (process.argv[1] === SELF) await main()

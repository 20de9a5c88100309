// A KE_HOME that cannot be a directory (a file on its path) is refused with one line and exit 2 by
// every command that uses it, before any driver starts; and a driver started when its record cannot be
// written is stopped, where ke used to report the error and then wait for the driver for ever.
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {scriptDriver} from '../support/fixtures.js'
import {ROOT, isAlive, makeHome, runKe, waitFor} from '../support/ke.js'

describe('an unusable KE_HOME', () => {
  let dir: string
  let dispose: () => void
  let driver: string
  const pids = () => join(dir, 'driver-pids')
  before(() => {
    ;({home: dir, dispose} = makeHome())
    writeFileSync(join(dir, 'a-file'), 'not a directory\n')
    mkdirSync(join(dir, 'bin'))
    // the sample driver, which writes down each pid it runs as
    driver = scriptDriver(join(dir, 'bin'), 'counted', `echo $$ >> "${pids()}"\nexec "${process.execPath}" "${join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')}" "$@"`)
  })
  after(() => dispose())

  const startedPids = (): number[] => {
    try {
      return readFileSync(pids(), 'utf8').trim().split('\n').filter(Boolean).map(Number)
    } catch {
      return []
    }
  }

  for (const args of [['create', '--driver', 'DRIVER', 'alpha'], ['ls'], ['ls', '--json'], ['inspect', 'alpha'], ['rm', '-y', 'alpha'], ['driver', 'ls']]) {
    it(`is refused by ke ${args.join(' ')} with one line and exit 2, both ways`, async () => {
      for (const env of [{}, {KE_DIRECT: '0', KE_FAST_LS: '0'}]) {
        // Given a KE_HOME under a file
        const home = join(dir, 'a-file', 'ke')
        // When a command runs with it
        const result = await runKe(args.map((arg) => (arg === 'DRIVER' ? driver : arg)), {home, env, timeoutMs: 30_000})
        // Then it says what is wrong and what to do, once, and exits 2
        assert.equal(result.code, 2, result.stderr)
        const expected = `ke's home ${home} cannot be a directory: ${join(dir, 'a-file')} is a file`
        if (args.includes('--json')) {
          assert.equal(JSON.parse(result.stdout).error.message, expected)
        } else {
          assert.equal(result.stderr, `Error: ${expected} (set KE_HOME to a directory ke may write, or unset it to use ~/.ke)\n`)
          assert.equal(result.stdout, '')
        }
      }
      // and no driver it may have started runs on
      for (const pid of startedPids()) await waitFor(() => !isAlive(pid), `driver ${pid} to be stopped`)
    })
  }

  it('stops a driver whose record cannot be written, and exits', async () => {
    // Given a home whose folder of running drivers is a file
    const {home, dispose: disposeHome} = makeHome()
    try {
      writeFileSync(join(home, 'run'), '')
      const before = startedPids().length
      // When a create starts its driver there (either way)
      for (const env of [{}, {KE_DIRECT: '0'}]) {
        const result = await runKe(['create', '--driver', driver, 'alpha'], {home, env, timeoutMs: 30_000})
        // Then it fails and exits, rather than waiting for the driver
        assert.equal(result.code, 1, result.stderr)
        assert.match(result.stderr, /^Error: .*run/m)
      }
      // and every driver it started is stopped
      const started = startedPids().slice(before)
      assert.ok(started.length >= 2, `drivers started: ${started.join(' ')}`)
      for (const pid of started) await waitFor(() => !isAlive(pid), `driver ${pid} to be stopped`)
    } finally {
      disposeHome()
    }
  })
})

// Issue 6, misbehaving drivers: whatever a driver does wrong, ke says so in one first line naming the
// driver and the cause, shows the driver's last log lines, saves an honest status, exits non-zero,
// and leaves no driver process behind. Each driver writes its pid to a file so the test can check.
import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureExec, scriptDriver} from '../support/fixtures.js'
import {clusterExists, makeHome, readCluster, runKe, type KeResult} from '../support/ke.js'
import {driverRecords, errorLines, firstErrorLine, isRunning} from './safety-support.js'

describe('misbehaving drivers', () => {
  let home: string
  let dispose: () => void
  let dir: string

  before(() => {
    ;({home, dispose} = makeHome())
    dir = mkdtempSync(join(tmpdir(), 'ke-bad-drivers-'))
  })
  after(() => {
    // a failing test must not leave its driver running for the rest of the suite
    for (const pid of startedPids()) if (isRunning(pid)) process.kill(pid, 'SIGKILL')
    dispose()
    rmSync(dir, {recursive: true, force: true})
  })

  function pidFile(name: string): string {
    return join(dir, `${name}.pid`)
  }

  function startedPids(): number[] {
    return ['exits', 'late-words', 'deaf', 'not-grpc', 'hang', 'hang-options', 'crash', 'error']
      .filter((name) => existsSync(pidFile(name)))
      .map((name) => Number(readFileSync(pidFile(name), 'utf8')))
  }

  /** A driver script that records its pid, then runs `body` (which must `exec` to keep that pid). */
  function driver(name: string, body: string): string {
    return scriptDriver(dir, name, `echo $$ > "${pidFile(name)}"\n${body}`)
  }

  /** An SDK fixture driver, through a wrapper that records its pid. */
  function fixture(name: string, fixtureName: string): string {
    return driver(name, fixtureExec(fixtureName))
  }

  /** The checks every misbehaviour shares: exit code, no stack trace, no process or run record left. */
  function assertFailedCleanly(result: KeResult, name: string): void {
    assert.notEqual(result.code, 0, result.stderr)
    assert.equal(result.signal, null)
    assert.doesNotMatch(result.stderr, /\n {4}at /, 'stack trace on stderr')
    if (existsSync(pidFile(name))) {
      const pid = Number(readFileSync(pidFile(name), 'utf8'))
      assert.equal(isRunning(pid), false, `driver ${name} (pid ${pid}) is still running`)
    }
    assert.deepEqual(driverRecords(home), [])
  }

  function assertErrorRecorded(cluster: string, reason: RegExp): void {
    const record = readCluster(home, cluster)
    assert.equal(record.status, 'Error')
    assert.match(record.reason, reason)
  }

  it('says the driver exited at once, with its exit code and last log lines, and saves no cluster', async () => {
    // Given a driver that exits before listening
    const path = driver('exits', 'echo "fatal: no credentials found in ~/.provider" >&2\nexit 7')
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-exits'], {home})
    // Then the first line names the driver and its exit, and its own words follow
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-exits exited \(exit code 7\) before listening on 127\.0\.0\.1:\d+/)
    assert.match(result.stderr, /last lines of the driver log:\n {2}fatal: no credentials found in ~\/\.provider/)
    assertFailedCleanly(result, 'exits')
    assert.equal(clusterExists(home, 'c-exits'), false)
  })

  it('shows the last line a driver left in its pipe as it exited, though it came after the exit', async () => {
    // Given a driver whose last words reach its stderr just after it exited (a child of it writes them)
    const path = driver('late-words', '(sleep 0.2; echo "fatal: the last line it printed" >&2) &\nexit 7')
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-late-words'], {home})
    // Then ke read its output to the end before it said what happened
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-late-words exited \(exit code 7\) before listening/)
    assert.match(result.stderr, /last lines of the driver log:\n {2}fatal: the last line it printed\n/)
    assertFailedCleanly(result, 'late-words')
  })

  it('does not wait on a process the driver left holding its output: ke reports and exits', async () => {
    // Given a driver that exits at once but leaves a process of its own holding its stderr open
    const holder = pidFile('holder')
    const path = driver('leaves-holder', `sleep 120 >&2 &\necho $! > "${holder}"\necho "fatal: cannot reach the provider" >&2\nexit 7`)
    try {
      // When a cluster is created with it
      const result = await runKe(['create', '--driver', path, 'c-holder'], {home})
      // Then ke says what happened, with the driver's words, and is done (the holder keeps nothing waiting)
      assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-leaves-holder exited \(exit code 7\) before listening/)
      assert.match(result.stderr, /fatal: cannot reach the provider/)
      assert.notEqual(result.code, 0)
    } finally {
      if (existsSync(holder)) process.kill(Number(readFileSync(holder, 'utf8')), 'SIGKILL')
    }
  })

  it('says the driver never listened within --driver-timeout, stops it, and saves no cluster', async () => {
    // Given a driver that runs but never opens its port
    const path = driver('deaf', 'echo "waiting for the provider to answer" >&2\nexec sleep 600')
    // When a cluster is created with a 1 s start-up limit
    const result = await runKe(['create', '--driver', path, '--driver-timeout', '1', 'c-deaf'], {home})
    // Then ke gives up at that limit (not the 30 s default), naming the driver and the limit
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-deaf did not listen on 127\.0\.0\.1:\d+ within 1 s/)
    assert.match(result.stderr, /last lines of the driver log:\n {2}waiting for the provider to answer/)
    assertFailedCleanly(result, 'deaf')
    assert.equal(clusterExists(home, 'c-deaf'), false)
  })

  it('says a driver that listens but does not speak gRPC is not a cluster driver, and stops it', async () => {
    // Given a plain TCP server in place of a driver
    // it answers every connection with a line of text and never falls over (ke's gRPC client resets it)
    const server = `require('net').createServer((s) => s.on('error', () => {}).end('hello\\n')).listen(Number(process.argv[1]), '127.0.0.1')`
    const path = driver('not-grpc', `echo "plain tcp server starting" >&2\nexec "${process.execPath}" -e "${server.replace(/"/g, '\\"')}" "$1"`)
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-not-grpc'], {home})
    // Then the first line says it runs but does not answer over gRPC
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-not-grpc is running but did not answer GetDriverCreateOptions over gRPC: it does not speak the cluster-driver protocol/)
    assert.match(result.stderr, /last lines of the driver log:\n {2}plain tcp server starting/)
    assertFailedCleanly(result, 'not-grpc')
    assert.equal(clusterExists(home, 'c-not-grpc'), false)
  })

  it('bounds a Create that never answers by --timeout, saves Error with the reason, and stops the driver', async () => {
    // Given a driver whose Create hangs
    const path = fixture('hang', 'safety-hang')
    // When a cluster is created with --timeout 2
    const result = await runKe(['create', '--driver', path, '--timeout', '2', 'c-hang'], {home})
    // Then ke stops waiting at that limit and says which call did not answer
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-hang did not answer Create after 2 s/)
    assert.match(result.stderr, /last lines of the driver log:\n(.*\n)*.*hang fixture: Create received/)
    assertErrorRecorded('c-hang', /did not answer Create after 2 s/)
    assertFailedCleanly(result, 'hang')
  })

  it('bounds a quick call that never answers by --timeout too, and saves no cluster', async () => {
    // Given a driver that never answers GetDriverCreateOptions
    const path = fixture('hang-options', 'safety-hang')
    // When a cluster is created with --timeout 2
    const result = await runKe(['create', '--driver', path, '--timeout', '2', 'c-hang-options'], {home, env: {SAFETY_HANG_OPTIONS: '1'}})
    // Then ke says which call did not answer within the limit
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-hang-options did not answer GetDriverCreateOptions after 2 s/)
    assert.match(result.stderr, /hang fixture: GetDriverCreateOptions received/)
    assertFailedCleanly(result, 'hang-options')
    assert.equal(clusterExists(home, 'c-hang-options'), false)
  })

  it('says the driver crashed during Create with its exit code and last log lines, and saves Error', async () => {
    // Given a driver that exits with code 3 inside Create
    const path = fixture('crash', 'safety-crash-on-create')
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-crash'], {home})
    // Then the first line blames the driver's crash, with its exit code, and its last words follow
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-crash crashed during Create \(exit code 3\)/)
    assert.match(result.stderr, /last lines of the driver log:\n(.*\n)*.*crash fixture: out of memory while creating the cluster/)
    assertErrorRecorded('c-crash', /^driver \S+ crashed during Create \(exit code 3\)/)
    assertFailedCleanly(result, 'crash')
  })

  it("shows the driver's own error text when Create fails, saves Error with it, and stops the driver", async () => {
    // Given a driver whose Create returns an error
    const path = fixture('error', 'safety-create-error')
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-error'], {home})
    // Then the first line is the driver's text, attributed to it
    assert.match(firstErrorLine(result), /^Error: driver \S*kontainer-engine-driver-error failed Create: quota exceeded: 0 of 5 nodes left in zone z1/)
    assert.match(result.stderr, /error fixture: the provider refused the cluster/)
    assertErrorRecorded('c-error', /failed Create: quota exceeded: 0 of 5 nodes left in zone z1/)
    assertFailedCleanly(result, 'error')
  })

  it('says a driver file that is not executable needs chmod, and starts nothing', async () => {
    // Given a driver file without the execute bit
    const path = join(dir, 'kontainer-engine-driver-noexec')
    writeFileSync(path, `#!/bin/sh\necho $$ > "${pidFile('noexec')}"\n`)
    chmodSync(path, 0o644)
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-noexec'], {home})
    // Then the one line says so and how to fix it
    assert.deepEqual(errorLines(result), [`Error: ${path} is not executable (mode 0644) (chmod +x ${path})`])
    assertFailedCleanly(result, 'noexec')
    assert.equal(existsSync(pidFile('noexec')), false, 'the file ran')
    assert.equal(clusterExists(home, 'c-noexec'), false)
  })

  it('says a driver file that is not a program (an HTML error page) is not one, and saves no cluster', async () => {
    // Given an executable file that holds a downloaded error page
    const path = join(dir, 'kontainer-engine-driver-page')
    writeFileSync(path, '<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n')
    chmodSync(path, 0o755)
    // When a cluster is created with it
    const result = await runKe(['create', '--driver', path, 'c-page'], {home})
    // Then the one line says what the file is
    assert.match(firstErrorLine(result), new RegExp(`^Error: ${path} is a HTML document \\(an error page from the download\\?\\), not a program`))
    assert.equal(errorLines(result).length, 1, result.stderr)
    assertFailedCleanly(result, 'page')
    assert.equal(clusterExists(home, 'c-page'), false)
  })
})

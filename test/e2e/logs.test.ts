// `ke logs NAME [-f] [-n LINES]`: the cluster's driver log, also while an operation runs in another shell.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {collect, makeHome, runKe, runKeJson, startKe, waitFor} from '../support/ke.js'

let home: string
let dispose: () => void

const logFile = (name: string) => join(home, 'clusters', name, 'driver.log')

/** Starts `ke logs ARGS` and gathers its output as it arrives. */
function startLogs(args: string[]) {
  const child = startKe(['logs', ...args], {home})
  let stdout = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  const done = collect(child)
  return {child, stdout: () => stdout, done}
}

before(async () => {
  ;({home, dispose} = makeHome('ke-logs-'))
  const created = await runKe(['create', '--driver', 'sample', 'logged'], {home})
  assert.equal(created.code, 0, created.stderr)
})

after(() => dispose())

describe('ke logs', () => {
  it("prints the whole driver log of a cluster", async () => {
    // Given a cluster made with the sample driver
    // When its log is printed
    const result = await runKe(['logs', 'logged'], {home})

    // Then stdout is the log file: ke's header, ke's notes and the driver's own lines
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, readFileSync(logFile('logged'), 'utf8'))
    assert.match(result.stdout, /^--- \S+ ke create logged: driver sample ---$/m)
    assert.match(result.stdout, /^time="[^"]+" level=info msg="creating cluster"/m)
  })

  it('prints only the last lines with -n', async () => {
    // Given the cluster's log
    const lines = readFileSync(logFile('logged'), 'utf8').trimEnd().split('\n')

    // When the last 2 lines are asked for, with the short and the long flag
    const short = await runKe(['logs', 'logged', '-n', '2'], {home})
    const long = await runKe(['logs', 'logged', '--lines', '2'], {home})

    // Then exactly those are printed
    assert.equal(short.code, 0, short.stderr)
    assert.equal(short.stdout, `${lines.slice(-2).join('\n')}\n`)
    assert.equal(long.stdout, short.stdout)
  })

  it('returns the lines as JSON with --json', async () => {
    // Given the cluster's log
    // When it is printed with --json -n 1
    const result = await runKeJson(['logs', 'logged', '-n', '1'], {home})

    // Then the document names the cluster, the file and the line
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json, {cluster: 'logged', path: logFile('logged'), lines: [readFileSync(logFile('logged'), 'utf8').trimEnd().split('\n').pop()]})
  })

  it('exits 3 for a cluster ke does not know', async () => {
    // Given no cluster named ghost
    // When its log is asked for
    const result = await runKe(['logs', 'ghost'], {home})

    // Then it is "not found"
    assert.equal(result.code, 3)
    assert.equal(result.stderr.trim(), 'Error: cluster ghost not found (see `ke ls` for the clusters ke knows)')
  })

  it('rejects a line count that is not a number', async () => {
    // When -n is given a word
    const result = await runKe(['logs', 'logged', '-n', 'ten'], {home})

    // Then it is a usage error
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), 'Error: --lines must be a whole number, 0 or more, got "ten" (e.g. -n 50)')
  })

  it('rejects --follow with --json', async () => {
    // When both are given
    const result = await runKe(['logs', 'logged', '--follow', '--json'], {home})

    // Then it is a usage error
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: --follow cannot be combined with --json/)
  })

  it('follows the log while an update runs in another shell, until Ctrl-C (exit 0)', async () => {
    // Given `ke logs -f` showing the end of the log
    const logs = startLogs(['logged', '-f', '-n', '1'])
    await waitFor(() => logs.stdout().length > 0, 'the last line of the log')

    // When an update runs in another process
    const update = await runKe(['update', 'logged', '--node-count', '4'], {home})
    assert.equal(update.code, 0, update.stderr)

    // Then the lines the update's driver wrote appear in the follower
    await waitFor(() => /^--- \S+ ke update\b.*---$/m.test(logs.stdout()), 'the update header in the follower')
    await waitFor(() => /\[ke\] driver exited/.test(logs.stdout().split(/ ke update\b/)[1] ?? ''), "the update driver's exit note")
    // And Ctrl-C ends following with exit 0, having printed exactly what was appended
    logs.child.kill('SIGINT')
    const result = await logs.done
    assert.equal(result.code, 0, result.stderr)
    const file = readFileSync(logFile('logged'), 'utf8')
    assert.ok(file.endsWith(result.stdout), `follower printed something that is not the end of the log:\n${result.stdout}`)
  })

  it('shows the lines of a create that is still running, then stops when the cluster is removed', async () => {
    // Given a create that takes 2 seconds, running in another process
    const create = startKe(['create', '--driver', 'sample', '--create-seconds', '2', 'slow'], {home})
    const created = collect(create)
    await waitFor(() => {
      try {
        return readFileSync(logFile('slow'), 'utf8').includes('creating cluster')
      } catch {
        return false
      }
    }, 'the create to start logging')

    // When its log is followed
    const logs = startLogs(['slow', '--follow'])

    // Then the driver's lines appear while Create still runs, and the end of it after
    await waitFor(() => /msg="creating cluster"/.test(logs.stdout()), 'the creating line')
    assert.equal((await created).code, 0)
    await waitFor(() => /\[ke\] driver exited/.test(logs.stdout()), 'the driver exit note')

    // And when the cluster is removed in another process, following ends by itself
    assert.equal((await runKe(['rm', '-y', 'slow'], {home})).code, 0)
    const result = await logs.done
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /cluster slow was removed; its log is gone/)
  })
})

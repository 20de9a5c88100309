// Issue 6, secrets: KE_HOME is private to the user, password options and driver-returned tokens never
// reach ke's output or the driver log it writes, password options are not stored, and the driver only
// listens on loopback with nothing but the port on its command line.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {clusterFile, collect, makeHome, readCluster, runKe, sampleRequests, startKe, type KeResult} from '../support/ke.js'
import {notPrivate, runningDriverPid, waitForStatus} from './safety-support.js'

const API_KEY = 'ak-9f3c2b7e51d04a86-secret'

/** What the sample driver records for a secret it received (src/builtin-drivers/sample/cloud.ts fingerprint). */
function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`
}

/** The api-key values (both spellings) of the last Create the sample driver received. */
function lastApiKey(home: string): string[] {
  const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options.stringOptions
  return [create['api-key'] ?? '', create.apiKey ?? '']
}

describe('secrets', () => {
  let home: string
  let dispose: () => void
  let dir: string
  let umask: number
  before(() => {
    ;({home, dispose} = makeHome())
    dir = mkdtempSync(join(tmpdir(), 'ke-secrets-'))
    // ke and its drivers inherit a umask that lets everyone read: only explicit modes keep files private
    umask = process.umask(0o000)
  })
  after(() => {
    process.umask(umask)
    dispose()
    rmSync(dir, {recursive: true, force: true})
  })

  it('keeps every file and directory under KE_HOME private to the user through create, update, etcd and rm', async () => {
    // Given a permissive umask (set above)
    const steps = [
      ['create', '--driver', 'sample', '--api-key', API_KEY, 'private'],
      ['create', '--driver', 'sample', 'kept'],
      ['update', 'private', '--node-count', '4'],
      ['version', 'set', 'private', 'v1.31.0'],
      ['size', 'set', 'private', '2'],
      ['etcd', 'save', 'private', 'snap-1'],
      ['etcd', 'restore', 'private', 'snap-1'],
      ['etcd', 'remove', 'private', 'snap-1'],
      ['env', 'private'],
      ['rm', '-y', 'private'],
    ]
    for (const args of steps) {
      // When each command of a cluster's life runs
      const result = await runKe(args, {home})
      assert.equal(result.code, 0, `ke ${args.join(' ')}: ${result.stderr}`)
      // Then nothing under KE_HOME is open to group or others
      assert.deepEqual(notPrivate(home), [], `after ke ${args.join(' ')}`)
    }
  })

  it('does not store a password option, and a retry sends it only when given again by flag or KE_OPT_ env', async () => {
    // Given a create with --api-key that fails after the driver made resources
    const first = await runKe(['create', '--driver', 'sample', '--api-key', API_KEY, '--fail-after-create', 'retry-pw'], {home})
    assert.equal(first.code, 1, first.stderr)
    assert.deepEqual(lastApiKey(home), [fingerprint(API_KEY), fingerprint(API_KEY)])
    // Then cluster.json does not hold the key anywhere
    assert.equal(readFileSync(clusterFile(home, 'retry-pw'), 'utf8').includes(API_KEY), false)
    assert.equal('api-key' in readCluster(home, 'retry-pw').options, false)

    // When the create is retried without the key
    const bare = await runKe(['create', 'retry-pw'], {home})
    // Then the driver receives it empty
    assert.equal(bare.code, 1, bare.stderr)
    assert.deepEqual(lastApiKey(home), ['', ''])

    // When it is retried with the key in KE_OPT_API_KEY
    const fromEnv = await runKe(['create', 'retry-pw'], {home, env: {KE_OPT_API_KEY: `${API_KEY}-env`}})
    assert.equal(fromEnv.code, 1, fromEnv.stderr)
    assert.deepEqual(lastApiKey(home), [fingerprint(`${API_KEY}-env`), fingerprint(`${API_KEY}-env`)])

    // When it is retried with the key as a flag, and without the failure
    const fromFlag = await runKe(['create', '--api-key', `${API_KEY}-flag`, '--no-fail-after-create', 'retry-pw'], {home})
    assert.equal(fromFlag.code, 0, fromFlag.stderr)
    assert.deepEqual(lastApiKey(home), [fingerprint(`${API_KEY}-flag`), fingerprint(`${API_KEY}-flag`)])
    // and still nothing of any key is stored
    assert.equal(readFileSync(clusterFile(home, 'retry-pw'), 'utf8').includes(API_KEY), false)
  })

  it('never shows a password option or a driver-returned token in stdout, stderr, --debug output or the driver log', async () => {
    // Given a careless driver that prints the key it gets and the token it returns
    const leaky = fixtureDriver('safety-leaky', dir)
    const outputs: Array<[string, KeResult]> = []
    const run = async (args: string[], expectedExit = 0) => {
      const result = await runKe(args, {home})
      assert.equal(result.code, expectedExit, `ke ${args.join(' ')}: ${result.stderr}`)
      outputs.push([args.join(' '), result])
    }
    // When a cluster goes through create, a failing update, reads and rm, with and without --debug and --json
    await run(['create', '--driver', leaky, '--api-key', API_KEY, '--debug', 'leaky'])
    const token: string = readCluster(home, 'leaky').info.serviceAccountToken
    assert.match(token, /^leaky-token-[0-9a-f]{24}$/)
    await run(['create', '--driver', leaky, '--api-key', API_KEY, '--dry-run', '--json', 'leaky-dry'])
    await run(['update', 'leaky', '--fail-update', '--debug'], 1)
    await run(['update', 'leaky', '--fail-update', '--json'], 1)
    await run(['inspect', 'leaky'])
    await run(['inspect', 'leaky', '--json'])
    await run(['ls', '--json'])
    await run(['logs', 'leaky'])
    const driverLog = readFileSync(join(home, 'clusters', 'leaky', 'driver.log'), 'utf8')
    await run(['rm', '-y', 'leaky', '--debug'])
    // Then neither secret appears in any output, nor in the driver log ke wrote
    const texts: Array<[string, string]> = [
      ...outputs.flatMap(([command, result]): Array<[string, string]> => [[`stdout of ke ${command}`, result.stdout], [`stderr of ke ${command}`, result.stderr]]),
      ['driver.log', driverLog],
    ]
    const leaks = texts.flatMap(([where, text]) => [
      ...(text.includes(API_KEY) ? [`the API key appears in ${where}`] : []),
      ...(text.includes(token) ? [`the token appears in ${where}`] : []),
    ])
    assert.deepEqual(leaks, [])
    // and the driver did print them: ke redacted its lines rather than never seeing them
    assert.match(driverLog, /creating with api key <redacted>/)
    assert.match(driverLog, /service account token is <redacted>/)
    assert.match(outputs.find(([command]) => command.startsWith('update leaky --fail-update --debug'))![1].stderr, /update refused for token <redacted>/)
  })

  it('starts the sample driver listening on 127.0.0.1 only, with nothing but the port on its command line', async () => {
    // Given a create under way with a secret option
    const ke = startKe(['create', '--driver', 'sample', '--api-key', API_KEY, '--create-seconds', '120', 'loopback'], {home})
    const done = collect(ke, {timeoutMs: 60_000})
    try {
      await waitForStatus(home, 'loopback', 'Creating', done)
      const pid = await runningDriverPid(home)
      // When its command line and listening sockets are read from /proc
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      const port = Number(argv.at(-1))
      // Then the only argument after the program is the port
      assert.ok(Number.isInteger(port) && port > 0, `last argument ${argv.at(-1)} is not a port`)
      assert.deepEqual(argv.slice(-2, -1).map((arg) => arg.endsWith('.js')), [true], `command line: ${argv.join(' ')}`)
      assert.equal(argv.join(' ').includes(API_KEY), false)
      // and the only socket listening on that port is bound to 127.0.0.1
      const portHex = port.toString(16).toUpperCase().padStart(4, '0')
      const listening = ['/proc/net/tcp', '/proc/net/tcp6']
        .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').slice(1))
        .map((line) => line.trim().split(/\s+/))
        .filter(([, local, , state]) => state === '0A' && local.endsWith(`:${portHex}`))
        .map(([, local]) => local)
      assert.deepEqual(listening, [`0100007F:${portHex}`])
    } finally {
      ke.kill('SIGINT')
      await done
    }
  })
})

// bin/run.js answers the plain forms of `ke ls` without loading oclif (src/cli/fast-ls.ts). Whatever the
// form, the user sees what the oclif command prints: the same stdout, stderr and exit code, on the
// same records, errors included. KE_FAST_LS=0 turns the fast path off: each form runs both ways.
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {loadedBundles, OCLIF_BUNDLE, makeHome, runKe, type KeResult} from '../support/ke.js'

function writeRecord(home: string, name: string, fields: {status?: string; driver?: string; version?: string}): void {
  const dir = join(home, 'clusters', name)
  mkdirSync(dir, {recursive: true})
  const now = new Date().toISOString()
  const info = {
    version: fields.version ?? 'v1.30.2', serviceAccountToken: 'FAST-LS-TOKEN-1234', endpoint: `https://${name}.invalid`, username: '', password: '',
    rootCaCertificate: '', clientCertificate: '', clientKey: 'FAST-LS-KEY-5678', nodeCount: 3, metadata: {}, status: '', createError: '',
  }
  const driver = fields.driver ?? 'sample'
  const record = {schemaVersion: 1, name, driver: {ref: driver, display: driver}, status: fields.status ?? 'Running', createdAt: now, updatedAt: now, options: {}, info, history: []}
  writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600})
}

/** Progress lines carry the time of day (CI logs): two runs a second apart print different stamps. */
function withoutClock(result: KeResult): KeResult {
  return {...result, stderr: result.stderr.replace(/^\d\d:\d\d:\d\d /gm, 'HH:MM:SS ')}
}

async function bothWays(home: string, args: string[], env: Record<string, string> = {}): Promise<{fast: KeResult; oclif: KeResult}> {
  const fast = withoutClock(await runKe(args, {home, env}))
  const oclif = withoutClock(await runKe(args, {home, env: {...env, KE_FAST_LS: '0'}}))
  return {fast, oclif}
}

describe('ke ls without oclif', () => {
  let home: string
  let dispose: () => void
  before(() => {
    ;({home, dispose} = makeHome())
    writeRecord(home, 'alpha', {})
    writeRecord(home, 'beta', {status: 'Error', driver: 'gke'})
    // in flight with no ke holding its lock: shown as the Error a retry records
    writeRecord(home, 'gamma', {status: 'Creating'})
    writeRecord(home, 'delta', {version: 'v1.31.0', driver: 'gke'})
    mkdirSync(join(home, 'clusters', 'torn'), {recursive: true})
    writeFileSync(join(home, 'clusters', 'torn', 'cluster.json'), '{"schemaVersion": 1, "name": "torn", ')
  })
  after(() => dispose())

  const forms: Array<{args: string[]; env?: Record<string, string>}> = [
    {args: ['ls']},
    {args: ['list']},
    {args: ['ls', '-q']},
    {args: ['ls', '--quiet']},
    {args: ['ls', '--json']},
    {args: ['ls', '--json', '-q']},
    {args: ['ls', '--no-color']},
    {args: ['ls', '--filter', 'status=Error']},
    {args: ['ls', '--filter=driver=gke', '-q']},
    {args: ['ls', '--filter', 'driver=gke', '--filter', 'version=v1.31.0']},
    {args: ['ls', '--filter', 'status=unreadable', '--json']},
    {args: ['ls', '--filter', 'name=alpha=beta']},
    {args: ['ls', '--store', 'file', '-q']},
    {args: ['ls', '--store=file'], env: {KE_STORE: 'kubernetes:nowhere'}},
    {args: ['ls'], env: {KE_STORE: 'file'}},
    // errors: a bad filter, alone and under --json and --quiet
    {args: ['ls', '--filter', 'colour=red']},
    {args: ['ls', '--filter', 'status']},
    {args: ['ls', '--filter', 'size=3', '--json']},
    {args: ['ls', '--quiet', '--filter', 'nodes=3']},
    // forms left to oclif: the same either way, and still refused as before
    {args: ['ls', '--wide']},
    {args: ['ls', 'extra']},
    {args: ['ls', '--filter']},
    {args: ['ls', '-q', '-q']},
    {args: ['ls'], env: {KE_STORE: 'nonsense'}},
  ]
  for (const {args, env} of forms) {
    it(`prints the same for ke ${args.join(' ')}${env ? ` with ${JSON.stringify(env)}` : ''}`, async () => {
      const {fast, oclif} = await bothWays(home, args, env)
      assert.deepEqual(fast, oclif)
    })
  }

  it('shows each kind of record and says what to do about the unreadable one', async () => {
    const {fast} = await bothWays(home, ['ls'])
    assert.equal(fast.code, 0)
    assert.deepEqual(fast.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]), ['NAME', 'alpha', 'beta', 'delta', 'gamma', 'torn'])
    assert.match(fast.stdout, /^gamma .* Error\s*$/m)
    assert.match(fast.stdout, /^torn .* unreadable\s*$/m)
    assert.match(fast.stderr, /Warning: state of torn is unreadable: .*; run `ke rm -f torn`/)
    assert.doesNotMatch(fast.stdout + fast.stderr, /FAST-LS-(TOKEN|KEY)/)
  })

  it('refuses a bad filter with one line and exit 2', async () => {
    const {fast} = await bothWays(home, ['ls', '--filter', 'colour=red'])
    assert.equal(fast.code, 2)
    assert.equal(fast.stdout, '')
    assert.equal(fast.stderr, 'Error: --filter "colour=red" is not key=value with key one of name, driver, status (e.g. --filter status=Running)\n')
  })

  it('loads no oclif for the plain forms, and oclif for the others', async () => {
    const plain = await loadedBundles(home, ['ls', '-q', '--filter', 'status=Running'])
    // nothing but CommonJS, as for create and rm: never oclif, nor an ES module
    assert.ok(plain.includes('fast-ls.cjs') && !plain.includes(OCLIF_BUNDLE) && plain.every((file) => file.endsWith('.cjs')), plain.join(' '))
    for (const args of [['ls', '--help'], ['ls', '--debug']]) {
      const loaded = await loadedBundles(home, args)
      assert.ok(loaded.includes(OCLIF_BUNDLE), `${args.join(' ')}: ${loaded.join(' ')}`)
    }
    assert.ok((await loadedBundles(home, ['ls'], {KE_FAST_LS: '0'})).includes(OCLIF_BUNDLE))
  })
})

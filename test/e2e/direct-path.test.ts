// bin/run.js runs `ke ls`, `ke create` and `ke rm` without loading oclif (src/cli/direct.ts). Whatever
// the form, the user sees what the oclif command prints: the same stdout, stderr and exit code, on the
// same records, errors included. KE_DIRECT=0 sends every command line through oclif: each form runs both
// ways.
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeHome, runKe, type KeResult} from '../support/ke.js'

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
  const oclif = withoutClock(await runKe(args, {home, env: {...env, KE_DIRECT: '0'}}))
  return {fast, oclif}
}

/** What differs between two creates of the same cluster: times, the sample cloud's ids, the home. */
function withoutRunFacts(result: KeResult, home: string): KeResult {
  const clean = (text: string) =>
    text
      .replaceAll(home, '<HOME>')
      .replace(/^\d\d:\d\d:\d\d /gm, 'HH:MM:SS ')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<TIME>')
      .replace(/\(\d+(\.\d+)?s\)/g, '(<SECONDS>)')
      .replace(/c-[0-9a-f]{8}/g, 'c-<ID>')
  return {...result, stdout: clean(result.stdout), stderr: clean(result.stderr)}
}

/**
 * Runs `setup` and then `args` in two fresh homes, `args` once without oclif and once through it
 * (setup through oclif in both): what a command changes is seen once per home.
 */
async function bothWaysFresh(args: string[], setup: string[][] = [], env: Record<string, string> = {}): Promise<{fast: KeResult; oclif: KeResult; fastHome: string}> {
  const homes = [makeHome(), makeHome()]
  try {
    const [fast, oclif] = await Promise.all(
      homes.map(async ({home}, i) => {
        for (const step of setup) {
          const prepared = await runKe(step, {home, env: {KE_DIRECT: '0'}})
          assert.equal(prepared.code, 0, prepared.stderr)
        }
        return withoutRunFacts(await runKe(args, {home, env: i === 0 ? env : {...env, KE_DIRECT: '0'}}), home)
      }),
    )
    return {fast, oclif, fastHome: homes[0].home}
  } finally {
    for (const {dispose} of homes) dispose()
  }
}

/** The bundled files of dist/b a run of ke loaded, seen through a module resolve hook. */
async function loadedBundles(home: string, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = join(home, 'loaded.txt')
  writeFileSync(log, '')
  const hooks = join(home, 'hooks.mjs')
  writeFileSync(hooks, `import {appendFileSync} from 'node:fs'
let file
export function initialize(data) { file = data.file }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  const match = /\\/dist\\/b\\/(.+\\.js)$/.exec(result.url)
  if (match) appendFileSync(file, match[1] + '\\n')
  return result
}
`)
  const register = join(home, 'register.mjs')
  writeFileSync(register, `import {register} from 'node:module'\nregister(${JSON.stringify(`file://${hooks}`)}, {data: {file: ${JSON.stringify(log)}}})\n`)
  const result = await runKe(args, {home, env: {...env, NODE_OPTIONS: `--import=${register}`}})
  assert.ok(result.code === 0 || result.code === 2, result.stderr)
  return readFileSync(log, 'utf8').split('\n').filter(Boolean)
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
    assert.ok(plain.includes('direct/direct.js'), plain.join(' '))
    assert.ok(!plain.includes('main.js'), plain.join(' '))
    for (const args of [['ls', '--help'], ['ls', '-h']]) {
      const loaded = await loadedBundles(home, args)
      assert.ok(loaded.includes('main.js'), `${args.join(' ')}: ${loaded.join(' ')}`)
    }
    assert.ok((await loadedBundles(home, ['ls'], {KE_DIRECT: '0'})).includes('main.js'))
  })
})

describe('ke create and ke rm without oclif', () => {
  const sample = ['create', '--driver', 'sample']
  const forms: Array<{args: string[]; setup?: string[][]; env?: Record<string, string>}> = [
    {args: [...sample, 'alpha']},
    {args: [...sample, '--node-count', '5', '--labels', 'env=dev,team=a', '--display-name', 'Alpha', 'alpha']},
    {args: [...sample, '--json', 'alpha']},
    {args: [...sample, '--quiet', 'alpha']},
    {args: [...sample, '--dry-run', 'alpha']},
    {args: [...sample, '--private=false', 'alpha']},
    {args: [...sample, '--', 'alpha']},
    // refused: running already, bad values, unknown and misspelled flags, no name, a bad name, no driver
    {args: [...sample, 'alpha'], setup: [[...sample, 'alpha']]},
    {args: [...sample, '--node-count', 'x', 'alpha']},
    {args: [...sample, '--nodes', '3', 'alpha']},
    {args: ['create', '--drivr', 'sample', 'alpha']},
    {args: [...sample, '--timeout', '0', 'alpha']},
    {args: [...sample]},
    {args: [...sample, 'Not_A_Name']},
    {args: ['create', 'alpha']},
    {args: ['create', '--driver', './no-such-driver', 'alpha']},
    {args: [...sample, '--json', '--node-count', 'x', 'alpha']},
    {args: [...sample, 'alpha'], env: {KE_CONTENT_TYPE: 'json'}},
    // rm: one, several, missing ones, the alias, no confirmation, JSON
    {args: ['rm', '-y', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['remove', '--yes', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['rm', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['rm', '-y', 'alpha', 'nope', 'beta'], setup: [[...sample, 'alpha'], [...sample, 'beta']]},
    {args: ['rm', '-y', '--json', 'alpha', 'nope'], setup: [[...sample, 'alpha']]},
    {args: ['rm', '-y', '--ignore-not-found', 'nope']},
    {args: ['rm', '-y', 'nope']},
    {args: ['rm']},
    {args: ['rm', '-y', '--frce', 'alpha']},
  ]
  for (const {args, setup, env} of forms) {
    const title = `${setup ? `after ${setup.map((step) => `ke ${step.join(' ')}`).join(', ')}: ` : ''}ke ${args.join(' ')}${env ? ` with ${JSON.stringify(env)}` : ''}`
    it(`prints and stores the same for ${title}`, async () => {
      const {fast, oclif} = await bothWaysFresh(args, setup, env)
      assert.deepEqual(fast, oclif)
    })
  }

  it('creates and removes a cluster for real: the record, then none', async () => {
    const {home, dispose} = makeHome()
    try {
      const created = await runKe([...sample, '--node-count', '4', 'alpha'], {home})
      assert.equal(created.code, 0, created.stderr)
      assert.match(created.stdout, /^Cluster alpha is Running \(driver sample, Kubernetes v[\d.]+, 4 nodes\)$/m)
      const record = JSON.parse(readFileSync(join(home, 'clusters', 'alpha', 'cluster.json'), 'utf8'))
      assert.equal(record.status, 'Running')
      assert.equal(record.options['node-count'], 4)
      const removed = await runKe(['rm', '-y', 'alpha'], {home})
      assert.equal(removed.code, 0, removed.stderr)
      assert.equal(removed.stdout, 'Removed alpha\n')
      assert.equal((await runKe(['ls', '-q'], {home})).stdout, '')
    } finally {
      dispose()
    }
  })

  it('loads no oclif for create and rm, and oclif for their help', async () => {
    const {home, dispose} = makeHome()
    try {
      for (const args of [[...sample, 'alpha'], ['rm', '-y', 'alpha']]) {
        const loaded = await loadedBundles(home, args)
        assert.ok(loaded.includes('direct/direct.js') && !loaded.includes('main.js'), `${args.join(' ')}: ${loaded.join(' ')}`)
      }
      for (const args of [[...sample, '--help'], ['rm', '-h']]) {
        const loaded = await loadedBundles(home, args)
        assert.ok(loaded.includes('main.js'), `${args.join(' ')}: ${loaded.join(' ')}`)
      }
      assert.ok((await loadedBundles(home, ['rm', '-y', '--ignore-not-found', 'alpha'], {KE_DIRECT: '0'})).includes('main.js'))
    } finally {
      dispose()
    }
  })
})

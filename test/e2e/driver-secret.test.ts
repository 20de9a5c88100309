// Issue 18, the driver secret: an SDK driver that ke started answers only the ke that started it. Any
// other local process that finds its port gets UNAUTHENTICATED; a driver started by hand answers all.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {createRequire} from 'node:module'
import * as grpcJs from '@grpc/grpc-js'
import type * as Grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import {pickFreePort, canConnect} from '../../src/driver/run/ports.js'
import {loadProto} from '../../src/protocol/proto.js'
import {collect, makeHome, ROOT, runKe, runKeJson, sampleRequests, startKe, waitFor} from '../support/ke.js'
import {driverRecords, environOf, isRunning} from './safety-support.js'

interface CallResult {
  code: number
  details?: string
  reply?: any
}

/** One raw GetCapabilities call on 127.0.0.1:port, as any local process could make it. */
async function rawCall(port: number, secret?: string): Promise<CallResult> {
  const {grpc, Driver} = await loadProto()
  const client = new Driver(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
  const metadata = new grpc.Metadata()
  if (secret !== undefined) metadata.set('ke-driver-secret', secret)
  try {
    return await new Promise<CallResult>((resolve) => {
      ;(client as any).GetCapabilities({}, metadata, {deadline: Date.now() + 20_000}, (error: Grpc.ServiceError | null, reply: unknown) =>
        resolve(error ? {code: error.code, details: error.details} : {code: 0, reply}),
      )
    })
  } finally {
    client.close()
  }
}

/** The standard health check, which answers without the secret (it tells only that the driver serves). */
function healthWithoutSecret(port: number): Promise<string> {
  const file = createRequire(import.meta.url).resolve('grpc-health-check/proto/health/v1/health.proto')
  const Health = (grpcJs.loadPackageDefinition(protoLoader.loadSync(file, {enums: String})) as any).grpc.health.v1.Health
  const client = new Health(`127.0.0.1:${port}`, grpcJs.credentials.createInsecure())
  return new Promise((resolve) =>
    client.Check({service: 'types.Driver'}, {deadline: Date.now() + 20_000}, (error: Grpc.ServiceError | null, reply: {status: string}) => {
      client.close()
      resolve(error ? `error ${error.code}` : String(reply.status))
    }),
  )
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('driver secret: an SDK driver started by ke', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-secret-')))
  after(() => dispose())

  it('refuses a call without its secret on its port, answers with it, and the secret is in no file of KE_HOME', async (t) => {
    // Given `ke create` whose sample driver is inside a slow Create
    const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'guarded'], {home})
    t.after(() => ke.kill('SIGKILL'))
    const done = collect(ke, {timeoutMs: 90_000})
    await waitFor(() => sampleRequests(home).some((r) => r.method === 'Create'), 'the driver to receive Create')
    const record = await waitFor(() => driverRecords(home).find((r) => isRunning(r.pid)), 'the run record of the driver') as any
    assert.equal(typeof record.port, 'number', `the run record names no port: ${JSON.stringify(record)}`)

    // When another local process calls the driver on that port without the secret, or with a wrong one
    const bare = await rawCall(record.port)
    const wrong = await rawCall(record.port, 'not-the-secret')
    // Then the driver refuses both as UNAUTHENTICATED
    assert.equal(bare.code, 16, `answered without the secret: ${JSON.stringify(bare)}`)
    assert.match(bare.details ?? '', /answers only the ke that started it/)
    assert.equal(wrong.code, 16, JSON.stringify(wrong))
    // while the health check, which reveals nothing but that it serves, still answers
    assert.equal(await healthWithoutSecret(record.port), 'SERVING')

    // and with the secret ke put in its environment it answers
    const secret = environOf(record.pid).KE_DRIVER_SECRET
    assert.ok(secret && secret.length >= 32, 'ke gave the driver no secret')
    const good = await rawCall(record.port, secret)
    assert.equal(good.code, 0, JSON.stringify(good))
    assert.ok(Object.keys(good.reply.capabilities).length > 0, JSON.stringify(good.reply))

    // When the user stops the create
    ke.kill('SIGINT')
    const result = await done
    assert.equal(result.code, 130, result.stderr)
    // Then the secret is in no file under KE_HOME (run records, cluster record, driver log) and no output
    for (const file of filesUnder(home)) assert.ok(!readFileSync(file, 'utf8').includes(secret), `${file} holds the driver secret`)
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret))
    // and the driver logged which calls it refused, without the secret
    const log = readFileSync(join(home, 'clusters', 'guarded', 'driver.log'), 'utf8')
    assert.match(log, /refused GetCapabilities/)
  })

  it('works end to end with the secret ke sends on every call', async () => {
    // When a whole create, inspect and removal run through ke
    const created = await runKe(['create', '--driver', 'sample', 'whole'], {home})
    assert.equal(created.code, 0, created.stderr)
    const size = await runKe(['size', 'get', 'whole'], {home})
    assert.equal(size.code, 0, size.stderr)
    const removed = await runKe(['rm', '--yes', 'whole'], {home})
    // Then every call was answered
    assert.equal(removed.code, 0, removed.stderr)
    assert.ok(sampleRequests(home).some((r) => r.method === 'Remove'))
  })
})

describe('driver secret: an SDK driver started by hand', () => {
  it('answers calls without a secret, as drivers always have', async (t) => {
    // Given the sample driver started by hand, with no KE_DRIVER_SECRET in its environment
    const {home, dispose} = makeHome('ke-secret-hand-')
    t.after(dispose)
    const port = await pickFreePort()
    const env = {...process.env, KE_HOME: home}
    delete env.KE_DRIVER_SECRET
    const driver = spawn(process.execPath, [join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js'), String(port)], {env, stdio: 'ignore'})
    t.after(() => driver.kill('SIGKILL'))
    await waitFor(() => canConnect(port), 'the driver to listen')
    // When a call comes without a secret
    const bare = await rawCall(port)
    // Then it answers
    assert.equal(bare.code, 0, JSON.stringify(bare))
    // and ke attached to it works too
    const created = await runKe(['create', '--attach', `127.0.0.1:${port}`, 'by-hand'], {home})
    assert.equal(created.code, 0, created.stderr)
  })

  it('started with KE_DRIVER_SECRET by hand, answers a ke attached with the same secret and refuses one without', async (t) => {
    const {home, dispose} = makeHome('ke-secret-attach-')
    t.after(dispose)
    const port = await pickFreePort()
    const driver = spawn(process.execPath, [join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js'), String(port)], {env: {...process.env, KE_HOME: home, KE_DRIVER_SECRET: 'hand-made-secret-1'}, stdio: 'ignore'})
    t.after(() => driver.kill('SIGKILL'))
    await waitFor(() => canConnect(port), 'the driver to listen')
    // When ke attaches without the secret
    const refused = await runKe(['create', '--attach', `127.0.0.1:${port}`, 'no-secret'], {home, env: {KE_DRIVER_SECRET: undefined}})
    // Then it gets one clear error saying what to do
    assert.equal(refused.code, 1, refused.stderr)
    assert.match(refused.stderr, /^Error: driver 127\.0\.0\.1:\d+ refused GetDriverCreateOptions: it was started with KE_DRIVER_SECRET and ke sent another or none \(run ke with the same KE_DRIVER_SECRET/m)
    // When ke attaches with the same secret, it works
    const created = await runKe(['create', '--attach', `127.0.0.1:${port}`, 'with-secret'], {home, env: {KE_DRIVER_SECRET: 'hand-made-secret-1'}})
    assert.equal(created.code, 0, created.stderr)
  })
})

describe('driver secret: ke driver verify', () => {
  it('passes start-up.secret for an SDK driver, which refuses a call without the secret', async (t) => {
    const {home, dispose} = makeHome('ke-secret-verify-')
    t.after(dispose)
    const result = await runKeJson(['driver', 'verify', '--driver', 'sample'], {home})
    assert.equal(result.code, 0, result.stderr)
    const secret = result.json.checks.find((c: any) => c.name === 'start-up.secret')
    assert.deepEqual([secret?.status, secret?.reason], ['pass', 'refused a call that came without the secret (UNAUTHENTICATED)'])
  })
})

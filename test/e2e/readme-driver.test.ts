// The README's "Write your own driver" example, extracted and run exactly as written: a driver made by
// following the README works with ke.
import assert from 'node:assert/strict'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ROOT, makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'
import {readmeExample} from '../support/readme.js'

describe('README › write your own driver', () => {
  let home: string
  let dispose: () => void
  let driver: string
  // inside the package, so `import ... from 'ke/sdk'` resolves to this package as it would for a user
  const dir = join(ROOT, 'test', '.readme-driver')
  before(() => {
    ;({home, dispose} = makeHome())
    mkdirSync(dir, {recursive: true})
    // run from source, as the README says: ke starts a .ts driver with Node and its own TypeScript loader
    driver = join(dir, 'my-driver.ts')
    writeFileSync(driver, readmeExample('my-driver.ts', 'ts'))
  })
  after(() => {
    rmSync(dir, {recursive: true, force: true})
    dispose()
  })

  it('creates, resizes and removes a cluster with the example driver', async () => {
    const created = await runKeJson(['create', '--driver', driver, '--node-count', '2', 'readme'], {home, env: {KE_OPT_API_KEY: 'k-123456'}})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.json.cluster.info.endpoint, 'https://my-readme.example.invalid')
    assert.equal(readCluster(home, 'readme').info.serviceAccountToken, 'token-for-my-readme')
    const size = await runKeJson(['size', 'get', 'readme'], {home})
    assert.equal(size.json.nodeCount, 2)
    const caps = await runKeJson(['capabilities', 'readme'], {home})
    assert.deepEqual(caps.json.capabilities, {getVersion: false, setVersion: false, getClusterSize: true, setClusterSize: true, etcdBackup: false})
    assert.equal((await runKe(['rm', '-y', 'readme'], {home})).code, 0)
  })

  it('updates the node count with `ke update NAME --node-count 3`', async () => {
    const created = await runKe(['create', '--driver', driver, 'upd'], {home, env: {KE_OPT_API_KEY: 'k-123456'}})
    assert.equal(created.code, 0, created.stderr)
    const updated = await runKe(['update', 'upd', '--node-count', '3'], {home})
    assert.equal(updated.code, 0, updated.stderr)
    assert.equal(readCluster(home, 'upd').info.nodeCount, 3)
    assert.equal((await runKeJson(['size', 'get', 'upd'], {home})).json.nodeCount, 3)
  })

  it('resizes with `ke size set`, and `ke size get` reads the new count from the state setNodeCount saved', async () => {
    const created = await runKe(['create', '--driver', driver, 'rsz'], {home, env: {KE_OPT_API_KEY: 'k-123456'}})
    assert.equal(created.code, 0, created.stderr)
    const set = await runKe(['size', 'set', 'rsz', '5'], {home})
    assert.equal(set.code, 0, set.stderr)
    const size = await runKeJson(['size', 'get', 'rsz'], {home})
    assert.equal(size.json.nodeCount, 5, size.stderr)
  })

  it('passes `ke driver verify --full --driver ./my-driver.ts --api-key x` without a warning', async () => {
    const result = await runKeJson(['driver', 'verify', '--full', '--driver', driver, '--api-key', 'x'], {home, timeoutMs: 120_000})
    assert.equal(result.code, 0, result.stderr)
    const noted = result.json.checks.filter((c: {status: string}) => c.status === 'warn' || c.status === 'fail')
    assert.deepEqual(noted, [])
  })

  it('reports the example driver\'s own error when the API key is missing', async () => {
    const result = await runKe(['create', '--driver', driver, 'nokey'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /failed Create: api-key is required \(flag --api-key or KE_OPT_API_KEY\)/)
  })
})

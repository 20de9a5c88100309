// The README's "Write your own driver" example, extracted and run exactly as written: a driver made by
// following the README works with ke.
import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ROOT, makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'

function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const marker = readme.indexOf('<!-- example: my-driver.ts')
  assert.ok(marker >= 0, 'README has the example driver')
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker))
  assert.ok(block, 'the example is a ts code block')
  return block[1]
}

describe('README › write your own driver', () => {
  let home: string
  let dispose: () => void
  let driver: string
  // inside the package, so `import ... from 'ke/sdk'` resolves to this package as it would for a user
  const dir = join(ROOT, 'test', '.readme-driver')
  before(() => {
    ;({home, dispose} = makeHome())
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'my-driver.ts'), readmeExample())
    driver = join(dir, 'my-driver')
    writeFileSync(driver, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(dir, 'my-driver.ts')}" "$@"\n`)
    chmodSync(driver, 0o755)
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
    assert.deepEqual(caps.json.capabilities, {getVersion: false, setVersion: false, getClusterSize: true, setClusterSize: false, etcdBackup: false})
    assert.equal((await runKe(['rm', '-y', 'readme'], {home})).code, 0)
  })

  it('reports the example driver\'s own error when the API key is missing', async () => {
    const result = await runKe(['create', '--driver', driver, 'nokey'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /failed Create: api-key is required \(flag --api-key or KE_OPT_API_KEY\)/)
  })
})

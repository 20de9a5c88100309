// ClusterInfo.status as kontainer-engine expects it: after an Update it copies the driver's status into
// the cluster's stored status and recognises a live cluster only by `Running` (PROTOCOL.md, end). The
// built-in drivers return `Running`, and `ke driver verify --full` warns on any other value.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {startKubeStandin, type KubeStandin} from '../support/kube-standin.js'
import {makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'
import {checkNamed} from '../support/verify-report.js'

describe('ClusterInfo.status', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('the sample driver returns Running after create and after update', async () => {
    const created = await runKe(['create', '--driver', 'sample', 'st1'], {home})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(readCluster(home, 'st1').info.status, 'Running')
    const updated = await runKe(['update', 'st1', '--node-count', '4'], {home})
    assert.equal(updated.code, 0, updated.stderr)
    assert.equal(readCluster(home, 'st1').info.status, 'Running')
    assert.equal((await runKe(['rm', '-y', 'st1'], {home})).code, 0)
  })

  it('ke driver verify --full passes lifecycle.status for the sample driver', async () => {
    const result = await runKeJson(['driver', 'verify', '--driver', 'sample', '--full'], {home, timeoutMs: 120_000})
    assert.equal(result.code, 0, result.stderr)
    const status = checkNamed(result.json.checks, 'lifecycle.status')
    assert.deepEqual([status.status, status.reason], ['pass', 'status Running'])
  })

  it('ke driver verify --full warns when PostCheck returns status "running", and still exits 0', async () => {
    const driver = fixtureDriver('verify-lowercase-status', home)
    const result = await runKeJson(['driver', 'verify', '--driver', driver, '--full'], {home, timeoutMs: 120_000})
    assert.equal(result.code, 0, result.stderr)
    const status = checkNamed(result.json.checks, 'lifecycle.status')
    assert.equal(status.status, 'warn')
    assert.match(status.reason, /^PostCheck returned status "running": .*return "Running"/)
  })
})

describe('ClusterInfo.status of the import driver (against the stand-in)', () => {
  let standin: KubeStandin
  let home: string
  let dispose: () => void
  let cwd: string
  before(async () => {
    standin = await startKubeStandin({tokens: ['stand-in-admin-token-status']})
    ;({home, dispose} = makeHome('ke-import-status-'))
    cwd = mkdtempSync(join(tmpdir(), 'ke-import-status-user-'))
    await standin.writeKubeconfig(join(cwd, 'kubeconfig.yaml'))
  })
  after(async () => {
    await standin.close()
    dispose()
    rmSync(cwd, {recursive: true, force: true})
  })

  it('the import driver returns Running after create and after update (stand-in)', async () => {
    const created = await runKe(['create', '--driver', 'import', '--kubeconfig', 'kubeconfig.yaml', 'imp'], {home, cwd})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(readCluster(home, 'imp').info.status, 'Running')
    const updated = await runKe(['update', 'imp'], {home, cwd})
    assert.equal(updated.code, 0, updated.stderr)
    assert.equal(readCluster(home, 'imp').info.status, 'Running')
  })
})

// The README's SDK steps, followed as written in an empty folder: ke installed from this checkout (the
// .tgz `npm pack` makes, so only what ke declares as dependencies comes along, from the npm registry),
// the example driver and the wrapper from the README, run through the built ke from another directory.
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ROOT, makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'

/** The first fenced block of `lang` after `marker` in the README. */
function readmeBlock(marker: string, lang: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const at = readme.indexOf(marker)
  assert.ok(at >= 0, `README has ${marker}`)
  const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(at))
  assert.ok(block, `a ${lang} block follows ${marker}`)
  return block[1]
}

describe('README › the SDK steps in an empty folder', {timeout: 600_000}, () => {
  let home: string
  let dispose: () => void
  let root: string
  let project: string
  let elsewhere: string

  before(() => {
    ;({home, dispose} = makeHome())
    root = mkdtempSync(join(tmpdir(), 'ke-sdk-steps-'))
    execFileSync('npm', ['pack', '--pack-destination', root, '--silent'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
    const tarball = join(root, readdirSync(root).find((file) => file.endsWith('.tgz'))!)
    const steps = readmeBlock('<!-- steps:', 'sh').replaceAll('/path/to/ke', tarball)
    // the registry only; whatever the npm cache holds already need not be fetched again
    const env = {...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'}
    const ran = spawnSync('sh', ['-e', '-c', steps], {cwd: root, env, encoding: 'utf8'})
    assert.equal(ran.status, 0, `the README steps failed:\n${ran.stdout}\n${ran.stderr}`)
    project = join(root, 'my-driver')
    writeFileSync(join(project, 'my-driver.ts'), readmeBlock('<!-- example: my-driver.ts', 'ts'))
    writeFileSync(join(project, 'my-driver'), readmeBlock('<!-- wrapper: my-driver', 'js'))
    chmodSync(join(project, 'my-driver'), 0o755)
    elsewhere = join(root, 'elsewhere')
    mkdirSync(elsewhere)
  })

  after(() => {
    rmSync(root, {recursive: true, force: true})
    dispose()
  })

  it('the steps make an ES module package that depends on ke', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))
    assert.equal(pkg.type, 'module')
    assert.ok(pkg.dependencies.ke, JSON.stringify(pkg.dependencies))
  })

  it('ke create --driver ./my-driver.ts --help shows the example\'s options', async () => {
    const result = await runKe(['create', '--driver', './my-driver.ts', '--help'], {home, cwd: project})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /--node-count=<int>\s+number of nodes/)
    assert.match(result.stdout, /--api-key/)
  })

  it('creates, updates and removes a cluster with my-driver.ts from another directory', async () => {
    const driver = join(project, 'my-driver.ts')
    const created = await runKe(['create', '--driver', driver, '--api-key', 'k-1', 'demo'], {home, cwd: elsewhere})
    assert.equal(created.code, 0, created.stderr)
    const updated = await runKe(['update', 'demo', '--node-count', '3'], {home, cwd: elsewhere})
    assert.equal(updated.code, 0, updated.stderr)
    assert.equal((await runKeJson(['size', 'get', 'demo'], {home, cwd: elsewhere})).json.nodeCount, 3)
    assert.equal((await runKe(['rm', '-y', 'demo'], {home, cwd: elsewhere})).code, 0)
  })

  it('the wrapper, started from another directory without a port, says what it is and exits 2', () => {
    const ran = spawnSync(join(project, 'my-driver'), [], {cwd: elsewhere, encoding: 'utf8'})
    assert.equal(ran.status, 2, ran.stderr)
    assert.match(ran.stderr, /is a Kubernetes cluster driver .*Try: ke create --driver \S+ --help/)
  })

  it('ke runs the wrapper as a driver file from another directory', async () => {
    const created = await runKe(['create', '--driver', join(project, 'my-driver'), '--api-key', 'k-2', 'wrapped'], {home, cwd: elsewhere})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(readCluster(home, 'wrapped').info.serviceAccountToken, 'token-for-my-wrapped')
    assert.equal((await runKe(['rm', '-y', 'wrapped'], {home, cwd: elsewhere})).code, 0)
  })
})

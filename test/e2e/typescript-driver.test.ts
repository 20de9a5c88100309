// A driver author runs a TypeScript driver straight from source: `ke create --driver ./my-driver.ts`
// starts it with Node and the TypeScript loader ke ships, whatever the current directory.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {after, before, describe, it} from 'node:test'
import {ROOT, makeHome, readCluster, runKe, runKeJson} from '../support/ke.js'

// TypeScript-only syntax (an interface, annotations): plain `node` cannot run this file.
const DRIVER = `import {defineOptions, loadState, option, saveState, serveDriver, type Driver} from '${pathToFileURL(join(ROOT, 'dist', 'sdk', 'index.js')).href}'

interface State {
  nodes: number
}

const driver: Driver = {
  getDriverCreateOptions: () => defineOptions({'node-count': option.int('number of nodes', {default: 1})}),
  async create(info, options) {
    const state: State = {nodes: options.int('node-count', 1)}
    return {...saveState(info, state), endpoint: 'https://ts.example.invalid', nodeCount: state.nodes}
  },
  async update(info) {
    return info
  },
  async postCheck(info) {
    return {...info, serviceAccountToken: 'ts-token'}
  },
  async remove() {},
  async getNodeCount(info) {
    return loadState<State>(info)!.nodes
  },
}

await serveDriver(driver)
`

describe('TypeScript drivers run from source', () => {
  let home: string
  let dispose: () => void
  let project: string
  let elsewhere: string
  before(() => {
    ;({home, dispose} = makeHome())
    project = mkdtempSync(join(tmpdir(), 'ke-ts-driver-'))
    writeFileSync(join(project, 'my-driver.ts'), DRIVER)
    // top-level await: the project is an ES module package, as the README's SDK steps make it
    writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'my-driver', type: 'module'}))
    // a directory with no node_modules anywhere above it: nothing to resolve a loader from
    elsewhere = join(mkdtempSync(join(tmpdir(), 'ke-ts-cwd-')), 'work')
    mkdirSync(elsewhere)
  })
  after(() => {
    rmSync(project, {recursive: true, force: true})
    rmSync(join(elsewhere, '..'), {recursive: true, force: true})
    dispose()
  })

  it('shows the options of ./my-driver.ts as flags', async () => {
    const result = await runKe(['create', '--driver', './my-driver.ts', '--help'], {home, cwd: project})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /--node-count=<int>\s+number of nodes/)
  })

  it('creates, sizes and removes a cluster with a .ts driver, run from another directory', async () => {
    const driver = join(project, 'my-driver.ts')
    const created = await runKeJson(['create', '--driver', driver, '--node-count', '2', 'ts1'], {home, cwd: elsewhere})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(readCluster(home, 'ts1').info.serviceAccountToken, 'ts-token')
    const size = await runKeJson(['size', 'get', 'ts1'], {home, cwd: elsewhere})
    assert.equal(size.json.nodeCount, 2, size.stderr)
    const removed = await runKe(['rm', '-y', 'ts1'], {home, cwd: elsewhere})
    assert.equal(removed.code, 0, removed.stderr)
  })

  it('takes a bare my-driver.ts as a path, not as the name of an installed driver', async () => {
    const result = await runKe(['create', '--driver', 'my-driver.ts', '--help'], {home, cwd: project})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /--node-count=<int>\s+number of nodes/)
  })

  it('says a missing .ts driver is not found (exit 3)', async () => {
    const result = await runKe(['create', '--driver', './nope.ts', 'missing'], {home, cwd: project})
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /nope\.ts/)
  })

  it('started without a port, the driver names the ke command that runs it from source, and that command works', async () => {
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
    const alone = spawnSync(process.execPath, ['--import', tsx, 'my-driver.ts'], {cwd: project, encoding: 'utf8'})
    assert.equal(alone.status, 2, alone.stderr)
    const hint = /Try: (ke create --driver (\S+) --help)/.exec(alone.stderr)
    assert.ok(hint, alone.stderr)
    assert.equal(hint[2], './my-driver.ts')
    const result = await runKe(['create', '--driver', hint[2], '--help'], {home, cwd: project})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /--node-count=<int>\s+number of nodes/)
  })
})

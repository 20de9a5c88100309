// `ke create`, `ke env` and `ke rm` run from one CommonJS file of ke's build with V8's code cache beside
// it (src/cli/direct-loader.ts, scripts/bundle.js): the cache the build made is one this Node takes and
// holds the code a create, an env and an rm run (scripts/train-code-cache.cjs), a cache it does not take
// costs time only, and what the commands import() from a package (lazy/) gives what Node's own import()
// of that package gives.
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {spawnSync} from 'node:child_process'
import {pathToFileURL} from 'node:url'
import {isBuiltin} from 'node:module'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {DIRECT_FILE} from '../../../src/cli/direct-loader.js'
import {VENDOR_FILES} from '../../../src/protocol/grpc-modules.js'
import type * as Direct from '../../../src/cli/direct.js'
import {codeCacheFileOf, requireWithCodeCache, runWithCodeCache, wrapForCodeCache} from '../../../src/os/code-cache.js'
import {ROOT} from '../../support/ke.js'

const DIRECT = join(ROOT, 'dist', 'b', 'direct')

function assertCommands(exports: unknown): void {
  const direct = exports as typeof Direct
  assert.equal(typeof direct.runDirect, 'function')
  assert.notEqual(direct.directCommandFor(['create', '--driver', 'sample', 'x'], {}), undefined)
  assert.equal(direct.directCommandFor(['create', '--help'], {}), undefined)
}

describe('the direct commands with a code cache', () => {
  it('the build made both files, and this Node takes the cache', () => {
    const {exports, script} = runWithCodeCache(join(DIRECT, DIRECT_FILE), readFileSync(codeCacheFileOf(join(DIRECT, DIRECT_FILE))))
    assert.equal(script.cachedDataRejected, false)
    assertCommands(exports)
  })

  // a build whose create and rm failed warns and makes each cache right after loading its file instead
  it("the build's caches hold more than the code that runs while their files load: what a create and rm ran", () => {
    const codeCache = pathToFileURL(join(ROOT, 'dist', 'os', 'code-cache.js')).href
    // the server's vendor file is trained in the sample driver that the create starts
    for (const file of [join(DIRECT, DIRECT_FILE), ...Object.values(VENDOR_FILES).map((file) => join(ROOT, 'dist', 'b', 'vendor', file))]) {
      const loadOnly = `import {runWithCodeCache} from ${JSON.stringify(codeCache)}
process.stdout.write(String(runWithCodeCache(${JSON.stringify(file)}, undefined).script.createCachedData().length))`
      const made = spawnSync(process.execPath, ['--input-type=module', '-e', loadOnly], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
      assert.equal(made.status, 0, made.stderr)
      const built = readFileSync(codeCacheFileOf(file)).length
      assert.ok(built > Number(made.stdout) * 1.3, `${file}: the build's cache has ${built} bytes, one made at load ${made.stdout}`)
    }
  })

  it('reads a file of ASCII and one with other characters (read as UTF-8) to the same text as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ke-code-cache-'))
    try {
      for (const text of ['plain "ascii" \\x41', 'région eu-west ✓ 😀 \u009b']) {
        const file = join(dir, 'module.cjs')
        writeFileSync(file, wrapForCodeCache(`module.exports = ${JSON.stringify(text)}`))
        assert.equal(runWithCodeCache(file, undefined).exports, text)
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('a cache this Node cannot take is passed over: the code is compiled and works', () => {
    const {exports, script} = runWithCodeCache(join(DIRECT, DIRECT_FILE), Buffer.from('not a V8 code cache'))
    assert.equal(script.cachedDataRejected, true)
    assertCommands(exports)
  })

  it('loads only what is there wherever ke is installed: Node built-ins, its lazy/ files, packages of node_modules', () => {
    const text = readFileSync(join(DIRECT, DIRECT_FILE), 'utf8')
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1])
    const packages = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {dependencies: Record<string, string>}).dependencies)
    for (const name of required) {
      const fromPackage = packages.some((pkg) => name === pkg || name.startsWith(`${pkg}/`))
      assert.ok(isBuiltin(name) || fromPackage, name)
    }
    // the lazy/ files, each run with its code cache where the build made one (os/code-cache.ts)
    const lazy = [...text.matchAll(/join\(__dirname,\s*"(lazy\/[\w.-]+\.cjs)"\)/g)].map((match) => match[1])
    assert.ok(lazy.length > 0)
    for (const file of lazy) assert.ok(readdirSync(join(DIRECT, 'lazy')).includes(file.slice('lazy/'.length)), file)
  })

  it('each package it loads when used gives what import() of the package gives', async () => {
    const text = readFileSync(join(DIRECT, DIRECT_FILE), 'utf8')
    const lazy = readdirSync(join(DIRECT, 'lazy'))
    const load = (file: string) => requireWithCodeCache(join(DIRECT, 'lazy', file)) as Record<string, unknown>
    for (const name of ['yaml', '@kubernetes/client-node', '@inquirer/prompts']) {
      const file = lazy.find((entry) => entry === `${name.replace(/^@/, '').replace(/\//g, '-')}.cjs`)
      assert.ok(file, `${name} in lazy/: ${lazy.join(' ')}`)
      assert.ok(text.includes(`"lazy/${file}"`), `${DIRECT_FILE} loads lazy/${file}`)
      // as the bundle's import() gives it (esbuild's require() in Node's way: the file as default)
      const loaded = load(file)
      const bundled = {default: loaded, ...loaded}
      const own = (await import(name)) as Record<string, unknown>
      for (const key of Object.keys(own)) assert.equal(typeof bundled[key], typeof own[key], `${name}: ${key}`)
    }
    const {parse} = load('yaml.cjs') as typeof import('yaml')
    assert.deepEqual(parse('a: [1, 2]'), {a: [1, 2]})
    // kubeconfig files need KubeConfig alone (src/kube/client-config.ts): a file of its own, a part of the client
    const {KubeConfig} = load('kube-client-config.cjs') as typeof import('@kubernetes/client-node')
    const kc = new KubeConfig()
    kc.loadFromOptions({clusters: [{name: 'c', server: 'https://c.invalid'}], users: [{name: 'c', token: 't'}], contexts: [{name: 'c', cluster: 'c', user: 'c'}], currentContext: 'c'})
    assert.equal(JSON.parse(kc.exportConfig())['current-context'], 'c')
    assert.ok(readFileSync(join(DIRECT, 'lazy', 'kube-client-config.cjs')).length * 3 < readFileSync(join(DIRECT, 'lazy', 'kubernetes-client-node.cjs')).length)
  })

  it('the lazy files a create, env and rm load have code caches this Node takes', () => {
    for (const file of ['kube-client-config.cjs', 'yaml.cjs']) {
      const path = join(DIRECT, 'lazy', file)
      assert.equal(runWithCodeCache(path, readFileSync(codeCacheFileOf(path))).script.cachedDataRejected, false, file)
    }
  })
})

// What a newcomer met trying ke from the README, each said plainly: ke's flags put before the command,
// `ke driver check` on a driver's TypeScript source, the hint when a command names another driver, the
// sample cloud's record of secret-named options, the SDK's usage line from another directory, a silent
// driver that exits, and counts and flag help that read as English.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {after, before, describe, it} from 'node:test'
import {fixturePath, scriptDriver} from '../support/fixtures.js'
import {ROOT, collect, makeHome, runKe, sampleCloud} from '../support/ke.js'

const SAMPLE_MAIN = join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')

describe('newcomer fixes', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-newcomer-')))
  after(() => dispose())

  describe("ke's flags before the command", () => {
    for (const flag of ['--quiet', '-q', '--json', '--debug', '--no-color']) {
      it(`\`ke ${flag} ls\` says to put the flag after the command, in one line, exit 2`, async () => {
        const result = await runKe([flag, 'ls'], {home})
        assert.equal(result.code, 2, result.stderr)
        assert.equal(result.stderr, `Error: put ke's flags after the command: \`ke ls ${flag}\`\n`)
        assert.equal(result.stdout, '')
      })
    }

    it('moves the flags and their values behind the command words, keeping its arguments', async () => {
      const result = await runKe(['--driver', 'sample', 'create', 'demo', '--node-count', '2'], {home})
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr, "Error: put ke's flags after the command: `ke create --driver sample demo --node-count 2`\n")
      const nested = await runKe(['--json', 'driver', 'ls'], {home})
      assert.equal(nested.stderr, "Error: put ke's flags after the command: `ke driver ls --json`\n")
    })
  })

  describe('`ke driver check` on a driver source', () => {
    it('says a .ts driver can run here with Node and tsx, and probes it as a cluster driver', async () => {
      const result = await runKe(['driver', 'check', fixturePath('minimal')], {home})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^ {2}type {11}TypeScript source$/m)
      assert.match(result.stdout, /^ {2}runs with {6}Node v\S+, ke's own, with ke's tsx for TypeScript$/m)
      assert.doesNotMatch(result.stdout, /#!|chmod|not a program/)
      assert.match(result.stdout, /^can run here\nis a cluster driver: it answered GetDriverCreateOptions \(1 option\)\n$/m)
    })

    it('says a .js file that is no driver can run here, then that it is not a cluster driver', async () => {
      const file = join(home, 'hello.js')
      writeFileSync(file, 'console.log("hello")\n')
      const result = await runKe(['driver', 'check', file], {home})
      assert.equal(result.code, 1)
      assert.match(result.stdout, /^ {2}type {11}JavaScript source$/m)
      assert.match(result.stdout, /can run here\nnot a cluster driver: it did not answer the options call\n$/)
      assert.match(result.stderr, /^Error: not a cluster driver: /)
    })
  })

  it('`ke driver check /bin/ls` ends its report on stdout with the verdict', async () => {
    const result = await runKe(['driver', 'check', '/bin/ls'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stdout, /\ncan run here\nnot a cluster driver: it did not answer the options call\n$/)
  })

  describe('the hint when a command names another driver than the one that made the cluster', () => {
    let bin: string
    before(() => {
      bin = join(home, 'bin')
      mkdirSync(bin, {recursive: true})
      scriptDriver(bin, 'other', `exec "${process.execPath}" "${SAMPLE_MAIN}" "$@"`)
    })
    const refused = async (name: string, made: string[], args: string[], env: Record<string, string> = {}) => {
      const created = await runKe(['create', ...made, name], {home, env})
      assert.equal(created.code, 0, created.stderr)
      const result = await runKe(args, {home, env})
      assert.equal(result.code, 4, result.stderr)
      return result.stderr
    }

    it('for the built-in sample: no file to move', async () => {
      const stderr = await refused('by-sample', ['--driver', 'sample'], ['update', 'by-sample', '--driver', join(bin, 'kontainer-engine-driver-other'), '--node-count', '2'])
      assert.match(stderr, /\(drop --driver to use ke's built-in driver sample; a cluster from another driver needs a new name\)$/m)
      assert.doesNotMatch(stderr, /kontainer-engine-driver-sample/)
    })

    it('for an installed name: its file name', async () => {
      const env = {PATH: `${bin}:${process.env.PATH}`}
      const stderr = await refused('by-name', ['--driver', 'other'], ['update', 'by-name', '--driver', 'sample', '--node-count', '2'], env)
      assert.match(stderr, /\(drop --driver to use other; another copy of it must keep the file name kontainer-engine-driver-other; /)
    })

    it('for a path to kontainer-engine-driver-X: the same file name', async () => {
      const stderr = await refused('by-path', ['--driver', join(bin, 'kontainer-engine-driver-other')], ['update', 'by-path', '--driver', 'sample', '--node-count', '2'])
      assert.match(stderr, /\(drop --driver to use other; a moved copy of it must keep the file name kontainer-engine-driver-other; /)
    })

    it('for a TypeScript source: its own file name, not kontainer-engine-driver-…', async () => {
      const stderr = await refused('by-source', ['--driver', fixturePath('minimal')], ['update', 'by-source', '--driver', 'sample', '--node-count', '2'])
      assert.match(stderr, /\(drop --driver to use minimal\.ts; a moved copy of it must keep the file name minimal\.ts; /)
      assert.doesNotMatch(stderr, /kontainer-engine-driver-minimal/)
    })
  })

  it("the sample cloud's request log holds no value of an option whose name looks secret", async () => {
    const {home: own, dispose: done} = makeHome('ke-newcomer-cloud-')
    try {
      const args = ['create', '--driver', 'sample', '--set', 'api-token=tok-visible-1', '--set-secret', 'vault-pass=pw-visible-2', '--set-secret', 'db-token', 'secrets']
      const result = await runKe(args, {home: own, env: {KE_OPT_DB_TOKEN: 'env-visible-3'}})
      assert.equal(result.code, 0, result.stderr)
      const log = readFileSync(join(sampleCloud(own), 'requests.jsonl'), 'utf8')
      const create = log.split('\n').find((line) => line.includes('"Create"'))!
      assert.match(create, /"api-token":"sha256:[0-9a-f]{16}"/)
      for (const secret of ['tok-visible-1', 'pw-visible-2', 'env-visible-3']) assert.ok(!log.includes(secret), `${secret} is in requests.jsonl`)
    } finally {
      done()
    }
  })

  it("the SDK's usage line names a --driver path that works from the directory it was run in", async () => {
    // Given a driver source run by its absolute path from /, without a port
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const result = await collect(spawn(process.execPath, ['--import', tsx, fixturePath('minimal')], {cwd: '/', stdio: ['pipe', 'pipe', 'pipe']}), {timeoutMs: 30_000})
    // Then the hint gives that absolute path, not ./ in front of it
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, new RegExp(`Try: ke create --driver ${fixturePath('minimal').replaceAll('.', '\\.')} --help\\n$`))
  })

  it('says a driver that exited before listening printed nothing, not "see its log lines above"', async () => {
    const silent = scriptDriver(home, 'silent', 'exit 3')
    const result = await runKe(['create', '--driver', silent, 'quiet-one'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /exited \(exit code 3\) before listening/)
    assert.match(result.stderr, /\(it printed nothing; `ke driver check /)
    assert.doesNotMatch(result.stderr, /log lines above/)
  })

  it('counts a single character as "1 character"', async () => {
    const result = await runKe(['driver', 'install', 'https://example.invalid/kontainer-engine-driver-x', '--checksum', 'a'], {home})
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /^Error: --checksum has 1 character; expected/)
  })

  it('--driver help names both built-in drivers', async () => {
    const result = await runKe(['create', '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout.replace(/\s+/g, ' '), /or a built-in: sample, import/)
  })

  it('`ke update --help` says the stored create options are sent too', async () => {
    const result = await runKe(['update', '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    const text = result.stdout.replace(/\s+/g, ' ')
    assert.match(text, /Sends the options you give together with the options the cluster was created with/)
    assert.doesNotMatch(text, /Only the options you give are sent/)
  })
})

describe('`ke driver verify NAME` (second newcomer trial: the argument was dropped and "no driver given" said)', () => {
  it('says the driver goes after --driver, naming the command that works, with exit 2', async (t) => {
    const {home, dispose} = makeHome()
    t.after(dispose)
    const result = await runKe(['driver', 'verify', 'sample'], {home})
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr, 'Error: the driver to verify goes after --driver, not as an argument (e.g. `ke driver verify --driver sample`)\n')
  })
})

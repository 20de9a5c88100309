// Issue 18 (stray arguments) and issue 20 (messages): what oclif would say itself (unexpected
// arguments, unknown commands, unknown flags) is said in ke's style: one line saying what is wrong and
// what to do, exit 2, nothing changed. And `--quiet` prints nothing on success.
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {clusterExists, makeHome, runKe, runKeJson} from '../support/ke.js'

describe('stray arguments', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-usage-')))
  after(() => dispose())

  it('`ke ls extra` is a one-line usage error, exit 2', async () => {
    const result = await runKe(['ls', 'extra'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unexpected argument "extra": this command takes no arguments (see `ke ls --help`)\n')
    assert.equal(result.stdout, '')
  })

  it('says the same under --json, as a usage error document', async () => {
    const result = await runKeJson(['ls', 'extra', 'more'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.json.error.code, 'BAD_ARGUMENT')
    assert.equal(result.json.error.exit, 2)
    assert.match(result.json.error.message, /^unexpected arguments "extra" "more"/)
  })

  const cases: Array<[string[], RegExp]> = [
    [['env', 'a', 'b'], /^Error: unexpected argument "b": this command takes NAME \(see `ke env --help`\)\n$/],
    [['driver', 'ls', 'x'], /^Error: unexpected argument "x": this command takes no arguments \(see `ke driver ls --help`\)\n$/],
    [['size', 'get', 'a', 'b'], /^Error: unexpected argument "b": this command takes NAME \(see `ke size get --help`\)\n$/],
    [['list', 'x', '--quiet'], /^Error: unexpected argument "x": this command takes no arguments \(see `ke ls --help`\)\n$/],
  ]
  for (const [args, message] of cases) {
    it(`\`ke ${args.join(' ')}\` is a one-line usage error, exit 2`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
    })
  }
})

describe('ke\'s own boolean flags given a value', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-usage-')))
  after(() => dispose())

  it('reads false as leaving the flag out, and true as the flag, short flags too', async () => {
    const plain = await runKe(['ls'], {home})
    for (const args of [['ls', '--debug=false', '--quiet=0'], ['ls', '--json=no'], ['ls', '-q=false', '--no-color=1']]) {
      const result = await runKe(args, {home})
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, plain.stdout, ''], args.join(' '))
    }
  })

  const refused: Array<[string[], string]> = [
    [['driver', 'ls', '--quiet=maybe'], 'Error: --quiet takes true or false, got "maybe" (write --quiet alone, or leave it out)\n'],
    [['ls', '-q=2'], 'Error: -q takes true or false, got "2" (write --quiet alone, or leave it out)\n'],
    [['inspect', 'x', '--json=on'], 'Error: --json takes true or false, got "on" (write --json alone, or leave it out)\n'],
  ]
  for (const [args, message] of refused) {
    it(`\`ke ${args.join(' ')}\` says the flag takes true or false, exit 2 (oclif took the value for an argument)`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr, message)
    })
  }

  it('reads a driver\'s `--no-x=true` as --no-x, not "true" as the cluster\'s name', async () => {
    const created = await runKe(['create', '--driver', 'sample', '--no-enable-logging=true', 'quiet-one'], {home})
    assert.equal(created.code, 0, created.stderr)
    assert.deepEqual(readdirSync(join(home, 'clusters')), ['quiet-one'])
    const inspected = await runKeJson(['inspect', 'quiet-one'], {home})
    assert.equal(inspected.json.options['enable-logging'], false)
    assert.equal((await runKe(['rm', '-y', 'quiet-one'], {home})).code, 0)
  })

  for (const args of [['ls', '--json=yes'], ['driver', 'ls', '--json=true']]) {
    it(`\`ke ${args.join(' ')}\` prints JSON, as --json does`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), [])
    })
  }
})

describe('unknown commands and flags', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-usage-')))
  after(() => dispose())

  it('an unknown command names the nearest one, exit 2', async () => {
    const result = await runKe(['drive', 'ls'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unknown command `ke drive` (did you mean `ke driver`? see `ke --help`)\n')
  })

  it('an unknown command in a topic names the nearest one, exit 2', async () => {
    const result = await runKe(['driver', 'chek', './x'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unknown command `ke driver chek` (did you mean `ke driver check`? see `ke --help`)\n')
  })

  it('an unknown command with --json is a usage error document', async () => {
    const result = await runKeJson(['frobnicate'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.json.error.code, 'UNKNOWN_COMMAND')
  })

  it('`ke create --drivr sample x` names the unknown flag and the one meant, and creates nothing', async () => {
    const result = await runKe(['create', '--drivr', 'sample', 'x'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unknown flag --drivr (did you mean --driver? see `ke create --help`)\n')
    assert.equal(clusterExists(home, 'x'), false)
  })

  it('an unknown flag of a command without a driver names the one meant', async () => {
    const result = await runKe(['ls', '--filtr', 'status=Running'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unknown flag --filtr (did you mean --filter? see `ke ls --help`)\n')
  })
})

describe("oclif's own parser messages, in ke's words", () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-usage-')))
  after(() => dispose())

  const cases: Array<[string[], string]> = [
    [['ls', '--filter'], 'Error: --filter needs a value (see `ke ls --help`)\n'],
    [['size', 'get', 'x', '--timeout', 'abc'], 'Error: --timeout must be a whole number, got "abc" (see `ke size get --help`)\n'],
    [['create', '--driver', 'sample', '--key-style', 'bogus', 'x'], 'Error: --key-style must be one of both, declared, camel, got "bogus" (see `ke create --driver sample --help`)\n'],
  ]
  for (const [args, message] of cases) {
    it(`\`ke ${args.join(' ')}\` says what is wrong in one line, exit 2`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr, message)
    })
  }
})

describe('--quiet', () => {
  it('prints nothing when create, size set, etcd save and rm succeed, but still what a command is asked to show', async () => {
    const {home, dispose} = makeHome('ke-quiet-')
    try {
      for (const args of [
        ['create', '--driver', 'sample', 'hush'],
        ['size', 'set', 'hush', '2'],
        ['version', 'set', 'hush', 'v1.31.0'],
        ['etcd', 'save', 'hush', 'snap'],
        ['rm', '-y', 'hush'],
      ]) {
        const result = await runKe([...args, '--quiet'], {home})
        assert.equal(result.code, 0, `ke ${args.join(' ')}: ${result.stderr}`)
        assert.equal(result.stdout, '', `stdout of ke ${args.join(' ')} --quiet`)
        assert.equal(result.stderr, '', `stderr of ke ${args.join(' ')} --quiet`)
      }
      assert.deepEqual(readdirSync(join(home, 'clusters')), [])
      // what a command is asked to show is still shown
      assert.equal((await runKe(['create', '--driver', 'sample', '--node-count', '4', 'shown', '--quiet'], {home})).stdout, '')
      assert.equal((await runKe(['size', 'get', 'shown', '--quiet'], {home})).stdout, '4\n')
      assert.equal((await runKe(['ls', '--quiet'], {home})).stdout, 'shown\n')
      assert.match((await runKe(['env', 'shown', '--quiet'], {home})).stdout, /^export KUBECONFIG="[^"\n]+"\n$/, 'the export line alone')
    } finally {
      dispose()
    }
  })
})

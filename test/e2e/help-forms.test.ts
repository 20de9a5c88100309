// Issue 20, shell habits: the usual help forms work (`ke help create`, `ke create -h`, `ke ls -h`,
// `ke create --driver D -h` with the driver's flags), and root help lists each command once with its
// aliases beside it.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, runKe} from '../support/ke.js'

describe('help forms', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-help-')))
  after(() => dispose())

  for (const args of [['help', 'create'], ['create', '-h']]) {
    it(`\`ke ${args.join(' ')}\` shows create's help`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^create a cluster with a driver\n\nUSAGE\n {2}\$ ke create \[NAME\]/)
      assert.equal(result.stderr, '')
    })
  }

  for (const args of [['ls', '-h'], ['help', 'ls'], ['list', '-h']]) {
    it(`\`ke ${args.join(' ')}\` shows ls's help`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^list clusters\n\nUSAGE\n {2}\$ ke (ls|list)/)
      assert.match(result.stdout, /\n {2}--json +print the result as JSON\n/, '--json is described as ke describes its flags')
    })
  }

  for (const args of [['create', '--driver', 'sample', '-h'], ['help', 'create', '--driver', 'sample'], ['create', '-d', 'sample', '-h']]) {
    it(`\`ke ${args.join(' ')}\` shows the driver's flags`, async () => {
      const result = await runKe(args, {home})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /SAMPLE DRIVER FLAGS\n[\s\S]*--node-count=<int>\s+number of worker nodes/)
    })
  }

  it("heads a driver's flags with the driver's name, without its file's prefix", async () => {
    const driver = fixtureDriver('minimal', home)
    const result = await runKe(['create', '--driver', driver, '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /\n\nMINIMAL DRIVER FLAGS\n {2}--/)
    // apart from ke's own flags for the driver
    assert.match(result.stdout, /\n\nDRIVER PROCESS FLAGS\n {2}-d, --driver=<value>/)
  })

  it('`ke help size get` shows the help of a command in a topic', async () => {
    const result = await runKe(['help', 'size', 'get'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^ask the driver for a cluster's node count\n\nUSAGE\n {2}\$ ke size get NAME/)
  })

  it('`ke help nosuch` is ke\'s one-line unknown-command error, exit 2', async () => {
    const result = await runKe(['help', 'craete'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: unknown command `ke craete` (did you mean `ke create`? see `ke --help`)\n')
  })
})

describe('root help', () => {
  it('lists each command once, with its aliases beside it', async () => {
    const {home, dispose} = makeHome('ke-help-root-')
    try {
      const result = await runKe(['--help'], {home})
      assert.equal(result.code, 0, result.stderr)
      const commands = result.stdout.split('\nCOMMANDS\n')[1].split('\n\n')[0]
      const names = commands.split('\n').filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(/\s{2,}/)[0])
      assert.ok(names.includes('ls, list'), names.join(' | '))
      assert.ok(names.includes('rm, remove'), names.join(' | '))
      // an alias is never listed as a command of its own
      for (const alias of ['list', 'remove', 'get-cluster-size', 'set-cluster-size', 'get-version', 'set-version']) {
        assert.ok(!names.includes(alias), `${alias} listed on its own: ${names.join(' | ')}`)
      }
      const words = names.flatMap((name) => name.split(', '))
      assert.deepEqual(words, [...new Set(words)], 'every name once')
      // topic commands show their aliases beside them too
      const size = await runKe(['size', '--help'], {home})
      assert.match(size.stdout, /^ {2}size get, get-cluster-size\s+ask the driver for a cluster's node count$/m)
    } finally {
      dispose()
    }
  })
})

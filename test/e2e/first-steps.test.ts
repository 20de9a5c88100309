// What a newcomer meets right after README's set-up: the line a create prints to use the cluster runs
// as printed, whether ke is on PATH yet (npm link) or still run as `node -- bin/run.js`; and the sample
// driver refuses a value no provider would take as the user's mistake: exit 2, nothing made, nothing
// kept, a Running cluster still Running.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, readdirSync, symlinkSync} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {KE_BIN, ROOT, clusterExists, collect, keEnv, makeHome, readCluster, runKe, sampleCloud, type KeResult} from '../support/ke.js'
import {shellQuote} from '../../src/shell-quote.js'

/** The command inside the `use it:` line of a create's summary. */
function useItLine(created: KeResult): string {
  assert.equal(created.code, 0, created.stderr)
  const line = /^ {2}use it: {3}(.*)$/m.exec(created.stdout)?.[1]
  assert.ok(line, `a use-it line in:\n${created.stdout}`)
  return line
}

/** Runs `line` in sh from `cwd`, as a user pastes it: it must point KUBECONFIG at `name`'s own kubeconfig. */
async function assertPastedLineWorks(line: string, home: string, cwd: string, name: string, pathFirst: string[] = []): Promise<void> {
  const PATH = [...pathFirst, dirname(process.execPath), process.env.PATH].join(delimiter)
  const shell = await collect(spawn('sh', ['-c', `${line} && printf %s "$KUBECONFIG"`], {cwd, env: {...keEnv({home}), PATH}, stdio: ['pipe', 'pipe', 'pipe']}))
  assert.equal(shell.code, 0, shell.stderr)
  assert.equal(shell.stdout, join(home, 'clusters', name, 'kubeconfig'))
}

describe('the line a create prints to use the cluster', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-first-steps-')))
  after(() => dispose())

  it('names `node -- bin/run.js` when ke was run as its script from the repository, and runs as printed there', async () => {
    // Given README's set-up: ke run as `node -- bin/run.js` from the repository's root, no `ke` on PATH
    const line = useItLine(await runKe(['create', '--driver', 'sample', 'first'], {home, cwd: ROOT}))

    // Then the line runs ke the same way
    assert.equal(line, 'eval "$(node -- bin/run.js env first)"')
    // and pasted into a shell there, it points KUBECONFIG at the cluster's own kubeconfig
    await assertPastedLineWorks(line, home, ROOT, 'first')
  })

  it('names ke after `node --`, so that Node 20 leaves an --env-file added to the line to ke', async () => {
    const invocation = /\$\((.*) env first-env\)/.exec(useItLine(await runKe(['create', '--driver', 'sample', 'first-env'], {home, cwd: ROOT})))![1]
    // When the printed way of running ke gets a create with an --env-file that is not there
    const missing = join(home, 'no-such.env')
    const shell = await collect(spawn('sh', ['-c', `${invocation} create --driver sample --env-file ${missing} other`], {cwd: ROOT, env: keEnv({home}), stdio: ['pipe', 'pipe', 'pipe']}))
    // Then ke, not Node, refuses it: its one line and exit 2 (Node's own would be "not found", exit 9)
    assert.equal(shell.stderr, `Error: --env-file ${missing}: no such file (pass a file of NAME=VALUE lines)\n`)
    assert.equal(shell.code, 2)
  })

  it("names the script's full path when ke was run from another directory", async () => {
    // Given ke's script run from a directory outside the repository
    const elsewhere = join(home, 'work')
    mkdirSync(elsewhere, {recursive: true})
    const line = useItLine(await runKe(['create', '--driver', 'sample', 'elsewhere'], {home, cwd: elsewhere}))

    // Then the line names the script by its full path, and runs as printed from there
    assert.equal(line, `eval "$(node -- ${shellQuote(KE_BIN)} env elsewhere)"`)
    await assertPastedLineWorks(line, home, elsewhere, 'elsewhere')
  })

  it('names `ke` when ke was run through a link named ke (npm link, npm install -g)', async () => {
    // Given a `ke` on PATH that links to ke's script, as npm link makes it
    const bin = join(home, 'bin')
    mkdirSync(bin, {recursive: true})
    symlinkSync(KE_BIN, join(bin, 'ke'))
    const PATH = [bin, process.env.PATH].join(delimiter)
    const created = await collect(spawn(process.execPath, ['--', join(bin, 'ke'), 'create', '--driver', 'sample', 'linked'], {cwd: home, env: {...keEnv({home}), PATH}, stdio: ['pipe', 'pipe', 'pipe']}))

    // Then the line says `ke`, and runs as printed where that link is on PATH
    const line = useItLine(created)
    assert.equal(line, 'eval "$(ke env linked)"')
    await assertPastedLineWorks(line, home, home, 'linked', [bin])
  })

  it('`ke env` ends with the same runnable reminder', async () => {
    // Given a cluster
    assert.equal((await runKe(['create', '--driver', 'sample', 'reminded'], {home})).code, 0)

    // When its export line is asked for with ke run as its script from the repository's root
    const env = await runKe(['env', 'reminded'], {home, cwd: ROOT})

    // Then the reminder under it runs ke the same way
    assert.equal(env.code, 0, env.stderr)
    assert.match(env.stdout, /\n# run: eval "\$\(node -- bin\/run\.js env reminded\)"\n$/)

    // and where KE_STORE names another store, a --store file given is named in it too
    const overridden = await runKe(['env', 'reminded', '--store', 'file'], {home, cwd: ROOT, env: {KE_STORE: 'kubernetes'}})
    assert.equal(overridden.code, 0, overridden.stderr)
    assert.match(overridden.stdout, /\n# run: eval "\$\(node -- bin\/run\.js env reminded --store file\)"\n$/)
  })
})

describe('the sample driver refuses values no provider would take, as the user\'s mistake', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-sample-values-')))
  after(() => dispose())

  /** The sample cloud's clusters: a directory each. */
  const cloudClusters = () => readdirSync(join(sampleCloud(home), 'clusters')).length

  before(async () => {
    // a cloud that holds one cluster already
    assert.equal((await runKe(['create', '--driver', 'sample', 'already-there'], {home})).code, 0)
  })

  for (const [name, flags, reason] of [
    ['banana-version', ['--kubernetes-version', 'banana'], '"banana" is not a Kubernetes version like v1.30.2'],
    ['empty-region', ['--region', ''], 'region "" is not a region name like sample-east-1 (1 to 63 lower-case letters, digits and inner dashes)'],
    ['spaced-region', ['--region', 'Mars One'], 'region "Mars One" is not a region name like sample-east-1 (1 to 63 lower-case letters, digits and inner dashes)'],
    ['no-nodes', ['--node-count', '0'], 'node-count must be at least 1, got 0'],
  ] as const) {
    it(`create ${flags.map((flag) => JSON.stringify(flag)).join(' ')}: the reason in one line, exit 2, no record and no cloud resources`, async () => {
      const clustersBefore = cloudClusters()

      // When a cluster is created with a value the provider refuses
      const result = await runKe(['create', '--driver', 'sample', ...flags, name], {home})

      // Then the driver's reason is the error, its options the hint, and nothing was made or kept
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, new RegExp(`^Error: driver sample: ${escapeRegExp(reason)} \\(the driver's options: \`ke create --driver sample --help\`\\)\n$`, 'm'))
      assert.equal(cloudClusters(), clustersBefore)
      assert.equal(clusterExists(home, name), false)
    })
  }

  it('update --kubernetes-version banana: refused with exit 2, the cluster still Running at its version', async () => {
    // Given a cluster
    assert.equal((await runKe(['create', '--driver', 'sample', 'kept-version'], {home})).code, 0)

    // When it is updated to a version no provider has
    const result = await runKe(['update', 'kept-version', '--kubernetes-version', 'banana'], {home})

    // Then the driver's reason is shown, exit 2, and the cluster is as it was: Running, at its version
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /^Error: driver sample: "banana" is not a Kubernetes version like v1\.30\.2 \(the driver's options: `ke update kept-version --help`\)$/m)
    const stored = readCluster(home, 'kept-version')
    assert.deepEqual([stored.status, stored.info.version], ['Running', 'v1.30.2'])
    assert.match((await runKe(['ls'], {home})).stdout, /^kept-version\s.*\sRunning$/m)
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

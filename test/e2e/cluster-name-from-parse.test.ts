// Issue 19, "One parser for one command line": the cluster name comes from oclif's first parse, which
// tells the name from the value of a driver's flag even before the driver is known. Each case here is
// one the old guessing (every word of argv that was not a flag could be the name) got wrong: a driver
// flag's value that is also the name of another cluster.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {clusterExists, collect, makeHome, readCluster, runKe, sampleRequests, startKe, waitFor, type KeResult} from '../support/ke.js'

describe("a driver flag's value that names another cluster is not taken for the name", () => {
  let home: string
  let dispose: () => void
  before(async () => {
    ;({home, dispose} = makeHome('ke-name-parse-'))
    for (const name of ['prod', 'staging']) {
      const created = await runKe(['create', '--driver', 'sample', name], {home})
      assert.equal(created.code, 0, created.stderr)
    }
  })
  after(() => dispose())

  it('`ke update --labels prod staging` updates staging, and leaves prod as it was', async () => {
    const prodBefore = readCluster(home, 'prod')
    // When the label's value is the name of another cluster, given before the name
    const result = await runKe(['update', '--labels', 'prod', 'staging'], {home})
    // Then staging is updated with that label
    assert.equal(result.code, 0, result.stderr)
    const update = sampleRequests(home).filter((r) => r.method === 'Update').at(-1)!.request
    assert.deepEqual([update.options.stringOptions.name, update.options.stringSliceOptions.labels], ['staging', ['prod']])
    // and prod is untouched
    assert.deepEqual(readCluster(home, 'prod'), prodBefore)
  })

  it("`ke create --region prod fresh` without --driver does not borrow prod's driver for fresh", async () => {
    // When a new cluster is named after a driver flag whose value names a stored cluster, and no driver is given
    const result = await runKe(['create', '--region', 'prod', 'fresh'], {home})
    // Then no driver is given for it: one line, exit 2, nothing created
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr, 'Error: no driver given (pass --driver PATH|NAME, e.g. `ke create --driver sample my-cluster`)\n')
    assert.equal(clusterExists(home, 'fresh'), false)
  })

  it('`ke create --private fresh --region prod` without --driver: what the full parse says the name is, wins', async () => {
    // When no token is surely the name before the driver runs (each follows a flag ke does not know yet),
    // and the one that names a stored cluster turns out to be a flag's value
    const result = await runKe(['create', '--private', 'fresh', '--region', 'prod'], {home})
    // Then fresh is not created with prod's driver: one line, exit 2
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr, "Error: no driver given for fresh: prod is a value of the driver's flags, not the cluster (pass --driver, or put the cluster name right after `ke create`)\n")
    assert.equal(clusterExists(home, 'fresh'), false)
  })
})

describe('a driver flag\'s value that names a busy cluster', () => {
  it('does not turn away a create of another cluster', async () => {
    const {home, dispose} = makeHome('ke-name-parse-busy-')
    // Given a create that holds the lock of `busy` while its driver works
    const holder = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'busy'], {home})
    let holderEnded: KeResult | undefined
    const held = collect(holder, {timeoutMs: 60_000}).then((result) => (holderEnded = result))
    try {
      await waitFor(() => holderEnded !== undefined || (clusterExists(home, 'busy') && readCluster(home, 'busy').status === 'Creating'), 'busy to be Creating')
      assert.equal(holderEnded, undefined, `the holder ended: ${holderEnded?.stderr}`)
      // When another cluster is created with a region that happens to be called busy
      const result = await runKe(['create', '--driver', 'sample', '--region', 'busy', 'other'], {home})
      // Then it is created, in that region
      assert.equal(result.code, 0, result.stderr)
      assert.equal(readCluster(home, 'other').status, 'Running')
      assert.match(readCluster(home, 'other').info.endpoint, /\.busy\./)
    } finally {
      holder.kill('SIGINT')
      await held
      dispose()
    }
  })
})

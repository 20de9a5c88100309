// Issue 20, messages: counts read as English ("1 node"), and every hint about a cluster's driver log
// points at `ke logs NAME`, the one command that shows it, not at a file path or at --debug.
import assert from 'node:assert/strict'
import {copyFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver, scriptDriver} from '../support/fixtures.js'
import {makeHome, runKe, runKeJson} from '../support/ke.js'

describe('message wording', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-wording-')))
  after(() => dispose())

  it('says "1 node", not "1 nodes"', async () => {
    const created = await runKe(['create', '--driver', 'sample', '--node-count', '1', 'solo'], {home})
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /^Cluster solo is Running \(driver sample, Kubernetes v\S+, 1 node\)$/m)
    const resized = await runKe(['size', 'set', 'solo', '1'], {home})
    assert.equal(resized.code, 0, resized.stderr)
    assert.equal(resized.stdout, 'Cluster solo has 1 node\n')
    const grown = await runKe(['size', 'set', 'solo', '2'], {home})
    assert.equal(grown.stdout, 'Cluster solo has 2 nodes\n')
  })

  it('says "1 node" in the node-count check of `ke driver verify --full`', async () => {
    const result = await runKeJson(['driver', 'verify', '--full', '--driver', 'sample', '--node-count', '1'], {home})
    assert.equal(result.code, 0, result.stderr)
    const check = result.json.checks.find((c: {name: string}) => c.name === 'lifecycle.get-node-count')
    assert.equal(check.reason, '1 node')
  })

  it('points at `ke logs NAME`, and at the retry and the removal, when the driver rejects a create', async () => {
    const driver = fixtureDriver('safety-create-error', home)
    const result = await runKe(['create', '--driver', driver, 'rejected'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^Hint: the driver reported this error; its log: `ke logs rejected`; then `ke create rejected` retries it \(flags given win\) or `ke rm rejected` removes it$/m)
  })

  it('points at `ke logs NAME` when the driver crashes during a create', async () => {
    const driver = fixtureDriver('safety-crash-on-create', home)
    const result = await runKe(['create', '--driver', driver, 'crashed'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^Hint: this is a driver bug: report it to the driver's author with its log \(`ke logs crashed`\)$/m)
  })

  it('points at `ke logs NAME` when a cluster\'s driver no longer starts', async () => {
    // Given a cluster made by a driver that was then replaced by a broken build at the same path
    const path = fixtureDriver('minimal', join(home))
    const created = await runKe(['create', '--driver', path, 'broken-later'], {home})
    assert.equal(created.code, 0, created.stderr)
    copyFileSync(scriptDriver(join(home), 'broken', 'echo "panic: bad build" >&2; exit 2'), path)
    // When a command needs that driver
    const result = await runKe(['size', 'get', 'broken-later'], {home})
    // Then the hint names the cluster's log
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^Hint: .*driver log: `ke logs broken-later`$/m)
  })
})

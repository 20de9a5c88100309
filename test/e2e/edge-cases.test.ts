// Edge cases a demanding user hits: boolean flags written with a value, secrets given on update,
// the current kubectl context after rm, --attach to nothing, a display name that must last.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {KubeConfig} from '@kubernetes/client-node'
import {fixtureDriver} from '../support/fixtures.js'
import {readCluster, runKe, runKeJson, sampleRequests} from '../support/ke.js'
import {createSampleCluster, freshHome, preparedHome} from '../support/homes.js'

describe('edge cases', () => {
  // a home holding two running clusters, booly and named
  const two = preparedHome(async (home) => {
    await createSampleCluster(home, 'booly')
    await createSampleCluster(home, 'named')
  })

  it('reads --bool=false and --bool=true as the flag, never as the cluster name', async (t) => {
    const home = freshHome(t)
    const result = await runKeJson(['create', '--driver', 'sample', '--enable-logging=false', '--private=true', 'booly'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.name, 'booly')
    const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options
    assert.equal(create.boolOptions['enable-logging'], false)
    assert.equal(create.boolOptions.private, true)
    const bad = await runKe(['create', '--driver', 'sample', '--private=maybe', 'never'], {home})
    assert.equal(bad.code, 2)
    assert.equal(bad.stderr.trim(), 'Error: --private takes true or false, got "maybe" (write --private or --no-private)')
  })

  it('treats an option the driver marks password at create as a secret when it is given on update', async (t) => {
    const home = two.copy(t)
    const secret = 'update-secret-5521'
    const dry = await runKe(['update', 'booly', '--set', `api-key=${secret}`, '--dry-run'], {home})
    assert.equal(dry.code, 0, dry.stderr)
    assert.ok(!dry.stdout.includes(secret), 'redacted in the dry run')
    const result = await runKe(['update', 'booly', '--set', `api-key=${secret}`, '--debug'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret))
    for (const file of ['cluster.json', 'driver.log']) assert.ok(!readFileSync(join(home, 'clusters', 'booly', file), 'utf8').includes(secret), file)
  })

  it('keeps --display-name for later updates', async (t) => {
    const home = freshHome(t)
    assert.equal((await runKe(['create', '--driver', 'sample', '--display-name', 'Nice Name', 'named'], {home})).code, 0)
    assert.equal((await runKe(['update', 'named', '--node-count', '2'], {home})).code, 0)
    const update = sampleRequests(home).filter((r) => r.method === 'Update').at(-1)!.request.options
    assert.equal(update.stringOptions.displayName, 'Nice Name')
    assert.equal(readCluster(home, 'named').displayName, 'Nice Name')
  })

  it('unsets the current kubectl context when rm removes the cluster it pointed at', async (t) => {
    const home = two.copy(t)
    // the first cluster env adds becomes the shared kubeconfig's current context
    assert.equal((await runKe(['env', 'booly'], {home})).code, 0)
    assert.equal((await runKe(['env', 'named'], {home})).code, 0)
    assert.equal((await runKe(['rm', '-y', 'booly'], {home})).code, 0)
    const kc = new KubeConfig()
    kc.loadFromFile(join(home, 'kubeconfig'))
    assert.equal(kc.getCurrentContext(), '', 'not silently another cluster')
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['named'])
  })

  it('says nothing is listening when --attach names a port without a driver', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--attach', '127.0.0.1:1', 'ghost'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^Error: nothing is listening on 127\.0\.0\.1:1 \(start your driver there first/)
  })

  it('exits 4 for a cluster whose create never returned, not 3', async (t) => {
    const home = freshHome(t)
    // a create whose driver failed before it returned any info leaves a record without it
    const result = await runKe(['create', '--driver', fixtureDriver('safety-create-error', home), 'halfway'], {home})
    assert.equal(result.code, 1)
    const env = await runKe(['env', 'halfway'], {home})
    assert.equal(env.code, 4)
    assert.match(env.stderr, /cluster halfway has no driver state to use: its create never returned \(Error\)/)
  })
})

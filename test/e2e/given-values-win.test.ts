// Issue 20, "The values a user gives are the values sent": on update, values given now (flags, --set*,
// --config, KE_OPT_*) win over the stored create options; update --dry-run names each value's source; a
// retried create says which stored options it reuses; a create-only option on update says so.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, readCluster, runKe, runKeJson, sampleRequests} from '../support/ke.js'

function lastUpdate(home: string): any {
  return sampleRequests(home).filter((r) => r.method === 'Update').at(-1)!.request.options
}

function received(home: string, cluster: string, call: 'created' | 'updated'): any {
  return JSON.parse(readCluster(home, cluster).info.metadata[call])
}

describe('given values win over stored ones on update (sample driver)', () => {
  let home: string
  let dispose: () => void
  before(async () => {
    ;({home, dispose} = makeHome())
    const created = await runKe(['create', '--driver', 'sample', '--region', 'eu-stored-1', 'st'], {home})
    assert.equal(created.code, 0, created.stderr)
  })
  after(() => dispose())

  it('sends --set region=eu-west-9, not the stored region', async () => {
    const result = await runKe(['update', 'st', '--set', 'region=eu-west-9'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(lastUpdate(home).stringOptions.region, 'eu-west-9')
  })

  it('sends KE_OPT_REGION and a --config region over the stored one, the environment over the file', async () => {
    const config = join(home, 'update.yaml')
    writeFileSync(config, 'region: eu-config-2\n')
    assert.equal((await runKe(['update', 'st', '--config', config], {home})).code, 0)
    assert.equal(lastUpdate(home).stringOptions.region, 'eu-config-2')
    assert.equal((await runKe(['update', 'st', '--config', config], {home, env: {KE_OPT_REGION: 'eu-env-3'}})).code, 0)
    assert.equal(lastUpdate(home).stringOptions.region, 'eu-env-3')
    assert.equal((await runKe(['update', 'st'], {home})).code, 0)
    assert.equal(lastUpdate(home).stringOptions.region, 'eu-env-3', 'nothing given: the region given last is the stored one')
  })

  it('update --dry-run shows where each value came from, like create', async () => {
    const dry = await runKeJson(['update', 'st', '--set', 'region=eu-west-9', '--node-count', '4', '--dry-run'], {home, env: {KE_OPT_KUBERNETES_VERSION: 'v1.31.0'}})
    assert.equal(dry.code, 0, dry.stderr)
    const sources = Object.fromEntries(dry.json.sources.map((s: {name: string; source: string}) => [s.name, s.source]))
    assert.equal(sources.region, 'set')
    assert.equal(sources['node-count'], 'flag')
    assert.equal(sources['kubernetes-version'], 'env')
    assert.equal(sources.labels, 'unset')
    assert.equal(sources['enable-logging'], 'stored')
    assert.equal(sources.clusterId, 'state', 'what the host adds from the driver state is named too')
    assert.equal(dry.json.options.stringOptions.region, 'eu-west-9')
    const human = await runKe(['update', 'st', '--set', 'region=eu-west-9', '--dry-run'], {home})
    assert.match(human.stdout, /^Would update st with driver sample; nothing was changed\./)
    assert.match(human.stdout, /region\s+string\s+eu-west-9\s+--set/)
    assert.match(human.stdout, /enable-logging\s+bool\s+true\s+stored \(earlier run\)/)
  })

  it('update --dry-run names the stored value of an update option not given, and does not send it', async () => {
    const created = await runKe(['create', '--driver', 'sample', '--labels', 'team=a', '--kubernetes-version', 'v1.30.0', 'kept'], {home})
    assert.equal(created.code, 0, created.stderr)
    const dry = await runKeJson(['update', 'kept', '--node-count', '4', '--dry-run'], {home})
    assert.equal(dry.code, 0, dry.stderr)
    const byName = Object.fromEntries(dry.json.sources.map((s: {name: string}) => [s.name, s]))
    assert.deepEqual(byName.labels, {name: 'labels', type: 'stringSlice', source: 'unset', stored: ['team=a']})
    assert.deepEqual(byName['kubernetes-version'], {name: 'kubernetes-version', type: 'string', source: 'unset', stored: 'v1.30.0'})
    assert.equal(byName['node-count'].source, 'flag')
    assert.equal(dry.json.options.stringSliceOptions.labels, undefined, 'an update option not given is not sent')
    assert.equal(dry.json.options.stringOptions['kubernetes-version'], undefined)
    const human = await runKe(['update', 'kept', '--dry-run'], {home})
    assert.match(human.stdout, /\nkubernetes-version\s+string\s+unset, not sent \(stored by create\/update: v1\.30\.0\)\n/)
  })

  it('says a create-only option is create-only on update, not "unknown flag"', async () => {
    const result = await runKe(['update', 'st', '--region', 'eu-west-9'], {home})
    assert.equal(result.code, 2)
    assert.equal(
      result.stderr.trim(),
      'Error: --region is a create-only option of driver sample: update cannot change it (driver sample updates only --kubernetes-version, --labels, --node-count; `--set region=VALUE` sends it anyway if the driver reads it)',
    )
  })
})

describe('given values win with a driver that declares no update options', () => {
  let home: string
  let dispose: () => void
  let plain: string
  before(() => {
    ;({home, dispose} = makeHome())
    plain = fixtureDriver('plain-strings', home)
  })
  after(() => dispose())

  it('sends --set-int node-count=3 over the stored node-count', async () => {
    assert.equal((await runKe(['create', '--driver', plain, '--node-count', '2', 'demo'], {home})).code, 0)
    const result = await runKe(['update', 'demo', '--set-int', 'node-count=3'], {home})
    assert.equal(result.code, 0, result.stderr)
    const updated = received(home, 'demo', 'updated')
    assert.deepEqual([updated['node-count'], updated.nodeCount], [3, 3])
  })

  it('a retried create names the stored options it reuses in one line, and a flag given now wins', async () => {
    const failed = await runKe(['create', '--driver', plain, '--fail-first-create', '--region', 'r-first', '--node-count', '5', 'retry'], {home})
    assert.equal(failed.code, 1)
    const retry = await runKe(['create', '--node-count', '6', 'retry'], {home})
    assert.equal(retry.code, 0, retry.stderr)
    const lines = retry.stderr.split('\n').filter((line) => line.includes('stored'))
    assert.equal(lines.length, 1, retry.stderr)
    assert.match(lines[0], /Warning: retrying with options stored by the earlier create: fail-first-create=true, region=r-first \(a flag given now wins\)$/)
    const created = received(home, 'retry', 'created')
    assert.deepEqual([created.region, created.nodeCount], ['r-first', 6])
  })
})

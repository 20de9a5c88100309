// ke create with the sample driver as a real process over real gRPC.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {clusterExists, readCluster, runKe, runKeJson, sampleRequests} from '../support/ke.js'
import {createSampleCluster, freshHome, preparedHome} from '../support/homes.js'

describe('create', () => {
  // a home holding `first`, created with the driver's defaults only
  const first = preparedHome((home) => createSampleCluster(home, 'first'))

  it('runs Create then PostCheck, saves each status and the driver info, and exits 0', async (t) => {
    const home = freshHome(t)
    // Given an empty KE_HOME
    // When the user creates a cluster with the sample driver
    const result = await runKeJson(['create', '--driver', 'sample', 'first'], {home})
    // Then ke exits 0 and reports the running cluster
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.status, 'Running')
    assert.equal(result.json.cluster.info.nodeCount, 3)
    assert.equal(result.json.cluster.info.serviceAccountToken, '<redacted>')
    // and the record on disk went through every lifecycle status and keeps the driver's state
    const record = readCluster(home, 'first')
    assert.deepEqual(record.history.map((entry: {status: string}) => entry.status), ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'])
    assert.match(record.info.serviceAccountToken, /^sample-token-/)
    assert.match(JSON.parse(record.info.metadata.state).clusterId, /^c-/)
    // and the driver received Create then PostCheck
    assert.deepEqual(sampleRequests(home).map((r) => r.method), ['Create', 'PostCheck'])
  })

  it('sends declared defaults, leaves unset pointer options out, and always sets name and displayName', async (t) => {
    // Given the request the sample driver received for a cluster created without options
    const home = first.copy(t)
    const create = sampleRequests(home).find((r) => r.method === 'Create')!.request.options
    // Then defaults from Default are applied under both spellings
    assert.equal(create.intOptions['node-count'], 3)
    assert.equal(create.intOptions.nodeCount, 3)
    assert.equal(create.stringOptions.region, 'sample-east-1')
    assert.equal(create.boolOptions['enable-logging'], true)
    // and the intPtr without default is absent, the plain bool is sent as false
    assert.equal('disk-size-gb' in create.intOptions, false)
    assert.equal('diskSizeGb' in create.intOptions, false)
    assert.equal(create.boolOptions.private, false)
    // and the host-set names are the cluster name
    assert.equal(create.stringOptions.name, 'first')
    assert.equal(create.stringOptions.displayName, 'first')
  })

  it('passes every option type given as flags: int, intPtr, --no-bool, repeated and comma-separated lists', async (t) => {
    const home = freshHome(t)
    // When the user gives values of every type
    const result = await runKe(
      ['create', '--driver', 'sample', '--node-count', '5', '--disk-size-gb', '40', '--no-enable-logging', '--private',
        '--labels', 'a=1,b=2', '--labels', 'c=3', '--region', 'eu-1', 'typed'],
      {home},
    )
    assert.equal(result.code, 0, result.stderr)
    // Then the driver received exactly those values
    const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options
    assert.equal(create.intOptions['node-count'], 5)
    assert.equal(create.intOptions['disk-size-gb'], 40)
    assert.equal(create.boolOptions['enable-logging'], false)
    assert.equal(create.boolOptions.private, true)
    assert.deepEqual(create.stringSliceOptions.labels, ['a=1', 'b=2', 'c=3'])
    assert.equal(create.stringOptions.region, 'eu-1')
    // and the record keeps the options used
    assert.equal(readCluster(home, 'typed').options['node-count'], 5)
  })

  it('reads options from KE_OPT_ environment variables, and flags win over them', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--driver', 'sample', '--region', 'from-flag', 'envy'], {
      home,
      env: {KE_OPT_NODE_COUNT: '2', KE_OPT_REGION: 'from-env'},
    })
    assert.equal(result.code, 0, result.stderr)
    const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options
    assert.equal(create.intOptions['node-count'], 2)
    assert.equal(create.stringOptions.region, 'from-flag')
  })

  it('reads a YAML --config with camelCase keys and a labels map, and flags override the file', async (t) => {
    const home = freshHome(t)
    // Given a config file in Rancher's spelling
    const config = join(home, 'cluster.yaml')
    writeFileSync(config, 'nodeCount: 4\nregion: file-region\nlabels:\n  team: a\n  env: dev\nenableLogging: false\n')
    // When it is combined with a flag
    const result = await runKe(['create', '--driver', 'sample', '--config', config, '--region', 'flag-region', 'configured'], {home})
    assert.equal(result.code, 0, result.stderr)
    // Then the file's values arrive, flattened, and the flag wins
    const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options
    assert.equal(create.intOptions['node-count'], 4)
    assert.deepEqual(create.stringSliceOptions.labels, ['team=a', 'env=dev'])
    assert.equal(create.boolOptions['enable-logging'], false)
    assert.equal(create.stringOptions.region, 'flag-region')
  })

  it('sends a misspelled config key as given and names the option it may mean', async (t) => {
    const home = freshHome(t)
    // Given a config file with nodecount, a typo of the sample's node-count
    const config = join(home, 'typo.yaml')
    writeFileSync(config, 'nodecount: 5\n')
    // When it is used
    const result = await runKe(['create', '--driver', 'sample', '--config', config, 'typo'], {home})
    // Then the create goes on, the key is sent undeclared, and the warning offers node-count
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /config file .*typo\.yaml: nodecount is not declared by the driver; sent as given \(did you mean node-count\?\)/)
    const create = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request.options
    assert.equal(create.intOptions.nodecount, 5)
    assert.equal(create.intOptions['node-count'], 3)
  })

  it('rejects a config file value of the wrong type, naming the file and the key, before any Create', async (t) => {
    const home = freshHome(t)
    const config = join(home, 'bad.json')
    writeFileSync(config, '{"node-count": "many"}')
    const before = sampleRequests(home).length
    const result = await runKe(['create', '--driver', 'sample', '--config', config, 'badconfig'], {home})
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, /config file .*bad\.json: key node-count must be a whole number/)
    assert.equal(sampleRequests(home).length, before)
    assert.equal(clusterExists(home, 'badconfig'), false)
  })

  it('--dry-run prints the exact DriverOptions with the password redacted and creates nothing', async (t) => {
    const home = freshHome(t)
    const before = sampleRequests(home).length
    const result = await runKeJson(['create', '--driver', 'sample', '--dry-run', '--api-key', 'dry-run-secret-value', 'dry'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.dryRun, true)
    assert.equal(result.json.options.intOptions['node-count'], 3)
    assert.equal(result.json.options.stringOptions['api-key'], '<redacted>')
    // the exact options Create would get, ke's own name and displayName included
    assert.equal(result.json.options.stringOptions.name, 'dry')
    assert.equal(result.json.options.stringOptions.displayName, 'dry')
    const source = result.json.sources.find((s: {name: string}) => s.name === 'node-count')
    assert.equal(source.source, 'default')
    assert.ok(!result.stdout.includes('dry-run-secret-value'))
    assert.equal(sampleRequests(home).length, before)
    assert.equal(clusterExists(home, 'dry'), false)
  })

  it('--dry-run says of each unset option whether Create sends its zero value or nothing', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--driver', 'sample', '--dry-run', 'dry'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /\nprivate +bool +false +unset, zero value sent\n/)
    assert.match(result.stdout, /\ndisk-size-gb +intPtr +unset, not sent\n/)
    assert.match(result.stdout, /"private": false/)
    assert.doesNotMatch(result.stdout, /disk-size-gb"/)
  })

  it('lists the driver options with type, default and usage under --help, sorted by name', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--driver', 'sample', '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    const section = result.stdout.slice(result.stdout.indexOf('SAMPLE DRIVER FLAGS')).split('\n\n')[0]
    // help wraps long lines: compare with white space folded
    const flat = section.replace(/\s+/g, ' ')
    assert.match(flat, /--node-count=<int> number of worker nodes \[int; default: 3\]/)
    assert.match(flat, /--\[no-\]enable-logging ship cluster logs to the provider \[boolPtr; default: true\]/)
    const order = [...section.matchAll(/^ {2}--(?:\[no-\])?([a-z-]+)/gm)].map((m) => m[1])
    assert.deepEqual(order, [...order].sort())
    assert.ok(order.includes('api-key') && order.includes('disk-size-gb'))
  })

  it('keeps a password option out of stdout, stderr, the record and the driver log', async (t) => {
    const home = freshHome(t)
    const secret = 'pw-4f1c9e7d2b'
    const result = await runKe(['create', '--driver', 'sample', '--api-key', secret, '--debug', 'secretive'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret))
    const dir = join(home, 'clusters', 'secretive')
    assert.ok(!readFileSync(join(dir, 'cluster.json'), 'utf8').includes(secret))
    assert.ok(!readFileSync(join(dir, 'driver.log'), 'utf8').includes(secret))
    assert.equal(readCluster(home, 'secretive').options['api-key'], undefined)
  })

  it('refuses to create a cluster that is already Running, with exit 4', async (t) => {
    const home = first.copy(t)
    const result = await runKe(['create', '--driver', 'sample', 'first'], {home})
    assert.equal(result.code, 4)
    assert.match(result.stderr, /cluster first already exists and its status is Running \(use `ke update first` to change it, or `ke rm first` first\)$/m)
  })

  it('rejects a bad int and an unknown flag as usage errors before any Create, suggesting the nearest flag', async (t) => {
    const home = freshHome(t)
    const before = sampleRequests(home).length
    const badInt = await runKe(['create', '--driver', 'sample', '--node-count', 'three', 'badint'], {home})
    assert.equal(badInt.code, 2)
    assert.match(badInt.stderr, /--node-count must be a whole number/)
    const unknown = await runKe(['create', '--driver', 'sample', '--regoin', 'x', 'typo'], {home})
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /unknown flag --regoin \(did you mean --region\?/)
    const missing = await runKe(['create', '--driver', 'sample', 'novalue', '--region'], {home})
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--region/)
    for (const r of [badInt, unknown, missing]) assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace')
    assert.equal(sampleRequests(home).length, before)
  })
})

describe('create › a create that fails after making resources', () => {
  // a home holding `partial`, whose create failed after the driver made its resources
  const partial = preparedHome(async (home) => {
    const failed = await runKe(['create', '--driver', 'sample', '--fail-after-create', 'partial'], {home})
    assert.equal(failed.code, 1, failed.stderr)
  })

  it('stores the partial info with status Error and exits 1 with the driver message', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--driver', 'sample', '--fail-after-create', 'partial'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /driver sample failed Create: simulated failure after creating c-[0-9a-f]+ \(fail-after-create\)/)
    const record = readCluster(home, 'partial')
    assert.equal(record.status, 'Error')
    assert.match(record.reason, /fail-after-create/)
    assert.ok(JSON.parse(record.info.metadata.state).clusterId)
  })

  it('is retried by `ke create NAME`, which sends the stored ClusterInfo back to the driver', async (t) => {
    const home = partial.copy(t)
    const stored = readCluster(home, 'partial').info.metadata.state
    const result = await runKeJson(['create', 'partial', '--no-fail-after-create'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.retried, true)
    const retry = sampleRequests(home).filter((r) => r.method === 'Create').at(-1)!.request
    assert.equal(retry.info.metadata.state, stored)
    // kontainer-engine also copies stored metadata into string options on a retry
    assert.equal(retry.options.stringOptions.state, stored)
    assert.equal(readCluster(home, 'partial').status, 'Running')
  })

  it('is removed by `ke rm`, which deletes the driver resources and the local state', async (t) => {
    const home = partial.copy(t)
    const id = JSON.parse(readCluster(home, 'partial').info.metadata.state).clusterId
    assert.ok(existsSync(join(home, 'sample-cloud', 'clusters', id)))
    const result = await runKe(['rm', '-y', 'partial'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(existsSync(join(home, 'sample-cloud', 'clusters', id)), false)
    assert.equal(clusterExists(home, 'partial'), false)
  })
})

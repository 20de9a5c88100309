// Every cluster command after create, against the sample driver and fixture drivers as real processes.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {KubeConfig} from '@kubernetes/client-node'
import {fixtureDriver} from '../support/fixtures.js'
import {clusterExists, makeHome, readCluster, runKe, runKeJson, sampleRequests} from '../support/ke.js'
import {createSampleCluster, preparedHome} from '../support/homes.js'

describe('cluster commands on a running sample cluster', () => {
  // each test gets its own copy of a home holding `web` as create left it (2 nodes, v1.30.2)
  const web = preparedHome((home) => createSampleCluster(home, 'web', ['--node-count', '2']))

  it('update sends only the given options plus the flattened driver state, then PostCheck', async (t) => {
    const home = web.copy(t)
    const result = await runKeJson(['update', 'web', '--node-count', '4'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.info.nodeCount, 4)
    const update = sampleRequests(home).filter((r) => r.method === 'Update').at(-1)!.request.options
    assert.equal(update.intOptions['node-count'], 4)
    // metadata.state {clusterId, region} flattened into options the user did not give
    assert.match(update.stringOptions.clusterId, /^c-/)
    assert.equal(update.stringOptions.region, 'sample-east-1')
    // no create defaults are re-sent on update
    assert.equal('kubernetes-version' in update.stringOptions, false)
    assert.deepEqual(sampleRequests(home).slice(-2).map((r) => r.method), ['Update', 'PostCheck'])
    assert.equal(readCluster(home, 'web').status, 'Running')
  })

  it('update --help lists the driver update options', async (t) => {
    const home = web.copy(t)
    const result = await runKe(['update', 'web', '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout.replace(/\s+/g, ' '), /--node-count=<int> number of worker nodes \[intPtr\]/)
  })

  it('version get and set (and their aliases) go through the driver and update the record', async (t) => {
    const home = web.copy(t)
    const set = await runKe(['version', 'set', 'web', 'v1.31.1'], {home})
    assert.equal(set.code, 0, set.stderr)
    const got = await runKeJson(['get-version', 'web'], {home})
    assert.equal(got.json.version, 'v1.31.1')
    assert.equal(readCluster(home, 'web').info.version, 'v1.31.1')
    const bad = await runKe(['set-version', 'web', 'latest'], {home})
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /driver sample failed SetVersion: "latest" is not a Kubernetes version/)
  })

  it('size get and set (and their aliases) go through the driver', async (t) => {
    const home = web.copy(t)
    const set = await runKe(['set-cluster-size', 'web', '6'], {home})
    assert.equal(set.code, 0, set.stderr)
    const got = await runKe(['size', 'get', 'web'], {home})
    assert.equal(got.stdout.trim(), '6')
    const bad = await runKe(['size', 'set', 'web', 'six'], {home})
    assert.equal(bad.code, 2)
    const negative = await runKe(['size', 'set', 'web', '-2'], {home})
    assert.equal(negative.code, 2)
    assert.equal(negative.stderr, 'Error: node count must be a whole number, 0 or more, got "-2" (e.g. ke size set my-cluster 5)\n')
  })

  it('etcd save, restore and remove work on snapshots the driver keeps', async (t) => {
    const home = web.copy(t)
    assert.equal((await runKe(['etcd', 'save', 'web', 'snap-a'], {home})).code, 0)
    assert.equal((await runKe(['size', 'set', 'web', '9'], {home})).code, 0)
    const restore = await runKe(['etcd', 'restore', 'web', 'snap-a'], {home})
    assert.equal(restore.code, 0, restore.stderr)
    assert.equal(readCluster(home, 'web').info.nodeCount, 2, 'the node count of the snapshot')
    assert.equal((await runKe(['etcd', 'remove', 'web', 'snap-a'], {home})).code, 0)
    const again = await runKe(['etcd', 'remove', 'web', 'snap-a'], {home})
    assert.equal(again.code, 1)
    assert.match(again.stderr, /snapshot snap-a of sample cluster c-[0-9a-f]+ does not exist/)
  })

  it('capabilities reports GetCapabilities by name and GetK8sCapabilities', async (t) => {
    const home = web.copy(t)
    const result = await runKeJson(['capabilities', 'web'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json.capabilities, {getVersion: true, setVersion: true, getClusterSize: true, setClusterSize: true, etcdBackup: true})
    assert.equal(result.json.k8s.l4LoadBalancer.provider, 'sample-lb')
    assert.equal(result.json.k8s.nodePortRange, '30000-32767')
  })

  it('inspect redacts every secret unless --show-secrets', async (t) => {
    const home = web.copy(t)
    const token = readCluster(home, 'web').info.serviceAccountToken
    const redacted = await runKe(['inspect', 'web'], {home})
    assert.equal(redacted.code, 0)
    const shown = JSON.parse(redacted.stdout)
    assert.equal(shown.info.serviceAccountToken, '<redacted>')
    assert.equal(shown.info.rootCaCertificate, '<redacted>')
    assert.ok(!redacted.stdout.includes(token))
    const secrets = await runKe(['inspect', 'web', '--show-secrets'], {home})
    assert.equal(JSON.parse(secrets.stdout).info.serviceAccountToken, token)
  })

  it('ls shows NAME DRIVER VERSION ENDPOINT NODES STATUS, with -q, --filter and --json', async (t) => {
    const home = web.copy(t)
    const table = await runKe(['ls'], {home})
    assert.match(table.stdout, /^NAME\s+DRIVER\s+VERSION\s+ENDPOINT\s+NODES\s+STATUS$/m)
    assert.match(table.stdout, /^web\s+sample\s+v1\.30\.2\s+https:\/\/\S+\s+2\s+Running$/m)
    assert.equal((await runKe(['list', '-q'], {home})).stdout.trim(), 'web')
    assert.equal((await runKe(['ls', '-q', '--filter', 'status=Error'], {home})).stdout.trim(), '')
    const json = await runKeJson(['ls', '--filter', 'driver=sample'], {home})
    assert.deepEqual(json.json.map((row: {name: string}) => row.name), ['web'])
    assert.equal(json.json[0].nodes, 2)
    const bad = await runKe(['ls', '--filter', 'colour=red'], {home})
    assert.equal(bad.code, 2)
  })

  it('env writes the cluster\'s own kubeconfig and prints the export line', async (t) => {
    const home = web.copy(t)
    const result = await runKe(['env', 'web'], {home})
    assert.equal(result.code, 0, result.stderr)
    const path = join(home, 'clusters', 'web', 'kubeconfig')
    assert.match(result.stdout, new RegExp(`^export KUBECONFIG="${path}"$`, 'm'))
    const kc = new KubeConfig()
    kc.loadFromFile(path)
    assert.equal(kc.getCurrentContext(), 'web')
    assert.equal(kc.getCurrentUser()?.token, readCluster(home, 'web').info.serviceAccountToken)
    assert.match(kc.getCurrentCluster()!.server, /^https:\/\/c-[0-9a-f]+\.sample-east-1\.sample\.invalid:6443$/)
  })

  it('kubeconfig prints a standalone kubeconfig that authenticates with the token', async (t) => {
    const home = web.copy(t)
    const result = await runKe(['kubeconfig', 'web'], {home})
    assert.equal(result.code, 0, result.stderr)
    const kc = new KubeConfig()
    kc.loadFromString(result.stdout)
    assert.equal(kc.getCurrentContext(), 'web')
    assert.equal(kc.getCurrentUser()?.token, readCluster(home, 'web').info.serviceAccountToken)
    assert.ok(kc.getCurrentCluster()?.caData)
  })

  it('rm removes the cloud resources, the record and the kubeconfig entries', async (t) => {
    const home = web.copy(t)
    const id = JSON.parse(readCluster(home, 'web').info.metadata.state).clusterId
    assert.equal((await runKe(['env', 'web'], {home})).code, 0, 'web is in $KE_HOME/kubeconfig')
    const confirmNeeded = await runKe(['rm', 'web'], {home})
    assert.equal(confirmNeeded.code, 2, 'without -y and without a terminal, rm asks for -y')
    const result = await runKe(['remove', '-y', 'web'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(existsSync(join(home, 'sample-cloud', 'clusters', id)), false)
    assert.equal(clusterExists(home, 'web'), false)
    const shared = new KubeConfig()
    shared.loadFromFile(join(home, 'kubeconfig'))
    assert.equal(shared.getContextObject('web'), null)
    const missing = await runKe(['rm', '-y', 'web'], {home})
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /cluster web not found/)
  })
})

describe('cluster commands on drivers that lack methods', () => {
  let home: string
  let dispose: () => void
  let minimal: string
  let old: string
  before(async () => {
    ;({home, dispose} = makeHome())
    minimal = fixtureDriver('minimal', home)
    old = fixtureDriver('old-etcd', home)
    for (const [driver, name] of [[minimal, 'mini'], [old, 'old']]) {
      const created = await runKe(['create', '--driver', driver, name], {home, timeoutMs: 90_000})
      assert.equal(created.code, 0, created.stderr)
    }
  })
  after(() => dispose())

  it('refuses version and size calls the driver does not claim, naming the driver', async () => {
    const result = await runKe(['version', 'set', 'mini', 'v1.30.0'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /driver \S+kontainer-engine-driver-minimal does not support changing the Kubernetes version/)
    const size = await runKe(['size', 'get', 'mini'], {home})
    assert.equal(size.code, 1)
    assert.match(size.stderr, /does not support reading the node count/)
  })

  it('says "does not implement ETCDRemoveSnapshot" for a driver built against the older protocol', async () => {
    const result = await runKe(['etcd', 'remove', 'old', 'snap'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /driver \S+kontainer-engine-driver-old-etcd does not implement ETCDRemoveSnapshot/)
  })

  it('keeps the stored info when an old driver answers ETCDRestore with Empty', async () => {
    const before = readCluster(home, 'old').info
    const result = await runKe(['etcd', 'restore', 'old', 'snap'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readCluster(home, 'old').info, before)
  })
})

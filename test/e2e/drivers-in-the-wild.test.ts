// Issue 9: drivers as they exist. Key spellings, undeclared options, the driver's environment,
// attaching to a running driver, a driver-set status, and checking access (against the HTTPS
// stand-in of the Kubernetes API on 127.0.0.1, named so below).
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {generateUnrelatedCaPem, startKubeStandin, type KubeStandin} from '../support/kube-standin.js'
import {ROOT, isAlive, keEnv, makeHome, readCluster, runKe, runKeJson, waitFor} from '../support/ke.js'
import {canConnect, pickFreePort} from '../../src/driver/launch.js'

function seen(home: string, name: string): any {
  return JSON.parse(readCluster(home, name).info.metadata.seen)
}

describe('drivers in the wild', () => {
  let home: string
  let dispose: () => void
  let picky: string
  before(() => {
    ;({home, dispose} = makeHome())
    picky = fixtureDriver('picky', home)
  })
  after(() => dispose())

  it('sends each value under both spellings by default, so a driver reading only one of them gets it', async () => {
    const result = await runKe(['create', '--driver', picky, '--disk-size', '50', '--machine-type', 'm5', 'both'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(seen(home, 'both').diskSize, 50)
    assert.equal(seen(home, 'both').machineType, 'm5')
  })

  it('--key-style declared and camel send one spelling, which a picky driver shows', async () => {
    const declared = await runKe(['create', '--driver', picky, '--key-style', 'declared', '--disk-size', '50', '--machine-type', 'm5', 'declared'], {home})
    assert.equal(declared.code, 0, declared.stderr)
    assert.deepEqual([seen(home, 'declared').diskSize, seen(home, 'declared').machineType], [null, 'm5'])
    const camel = await runKe(['create', '--driver', picky, '--key-style', 'camel', '--disk-size', '50', '--machine-type', 'm5', 'camel'], {home})
    assert.equal(camel.code, 0, camel.stderr)
    assert.deepEqual([seen(home, 'camel').diskSize, seen(home, 'camel').machineType], [50, null])
  })

  it('sends displayName beside name, from --display-name or the cluster name', async () => {
    const plain = await runKe(['create', '--driver', picky, 'plain'], {home})
    assert.equal(plain.code, 0, plain.stderr)
    assert.equal(seen(home, 'plain').displayName, 'plain')
    const result = await runKe(['create', '--driver', picky, '--display-name', 'My Cluster', 'shown'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(seen(home, 'shown').displayName, 'My Cluster')
  })

  it('--set, --set-int, --set-bool and --set-slice pass undeclared options, and --dry-run names every source', async () => {
    const args = ['--driver', picky, '--set', 'description=hello there', '--set-int', 'priority=7', '--set-bool', 'spot=true', '--set-slice', 'zones=a,b']
    const dry = await runKeJson(['create', ...args, '--machine-type', 'm5', '--dry-run', 'undeclared'], {home, env: {KE_OPT_DISK_SIZE: '20'}})
    assert.equal(dry.code, 0, dry.stderr)
    const sources = Object.fromEntries(dry.json.sources.map((s: {name: string; source: string}) => [s.name, s.source]))
    assert.deepEqual(sources, {'disk-size': 'env', 'machine-type': 'flag', description: 'set', priority: 'set', spot: 'set', zones: 'set'})
    const result = await runKe(['create', ...args, 'undeclared'], {home})
    assert.equal(result.code, 0, result.stderr)
    const s = seen(home, 'undeclared')
    assert.deepEqual([s.description, s.priority, s.spot, s.zones], ['hello there', 7, true, ['a', 'b']])
  })

  it('passes undeclared --config keys through with a warning naming them', async () => {
    const config = join(home, 'extra.yaml')
    writeFileSync(config, 'machineType: m6\ndescription: from file\n')
    const result = await runKe(['create', '--driver', picky, '--config', config, 'fromfile'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /config file .*extra\.yaml: description is not declared by the driver; sent as given/)
    assert.equal(seen(home, 'fromfile').description, 'from file')
    assert.equal(seen(home, 'fromfile').machineType, 'm6')
  })

  it('gives the driver the user environment plus --env and --env-file, and hides --env values in output', async () => {
    const envFile = join(home, 'driver.env')
    writeFileSync(envFile, '# credentials\nexport PICKY_FILE="from-file"\n')
    const secret = 'env-secret-77aa31'
    const result = await runKe(['create', '--driver', picky, '--debug', '--env', `PICKY_FOO=${secret}`, '--env-file', envFile, 'envy'], {home, env: {HOME: '/home/tester'}})
    assert.equal(result.code, 0, result.stderr)
    const env = seen(home, 'envy').env
    assert.deepEqual([env.PICKY_FOO, env.PICKY_FILE, env.HOME], [secret, 'from-file', '/home/tester'])
    // the driver logged the value: ke's --debug stream and driver log show it redacted
    assert.match(result.stderr, /using PICKY_FOO=<redacted>/)
    assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret))
    const log = readFileSync(join(home, 'clusters', 'envy', 'driver.log'), 'utf8')
    assert.match(log, /using PICKY_FOO=<redacted>/)
    assert.ok(!log.includes(secret))
    const bad = await runKe(['create', '--driver', picky, '--env', 'no-equals', 'badenv'], {home})
    assert.equal(bad.code, 2)
  })

  it('--rancher-env runs the driver with PATH=/usr/bin and nothing else of the user environment', async () => {
    const result = await runKe(['create', '--driver', picky, '--rancher-env', 'jailed'], {home, env: {PICKY_FOO: 'leak', HOME: '/home/tester'}})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(seen(home, 'jailed').env, {PATH: '/usr/bin', PICKY_FOO: null, PICKY_FILE: null, HOME: null})
  })

  it('keeps its own lifecycle status when the driver sets ClusterInfo.status itself', async () => {
    const result = await runKe(['create', '--driver', picky, 'active'], {home})
    assert.equal(result.code, 0, result.stderr)
    const record = readCluster(home, 'active')
    assert.equal(record.status, 'Running')
    assert.equal(record.info.status, 'active')
  })
})

describe('attach to a running driver', () => {
  let home: string
  let dispose: () => void
  let driver: ReturnType<typeof spawn>
  let address: string
  before(async () => {
    ;({home, dispose} = makeHome())
    const port = await pickFreePort()
    address = `127.0.0.1:${port}`
    driver = spawn(process.execPath, [join(ROOT, 'dist', 'drivers', 'sample', 'main.js'), String(port)], {env: keEnv({home}), stdio: 'ignore'})
    await waitFor(() => canConnect(port), 'the sample driver to listen')
  })
  after(() => {
    driver.kill('SIGKILL')
    dispose()
  })

  it('uses the driver at --attach without starting or stopping it, and says so in output and record', async () => {
    const result = await runKe(['create', '--attach', address, 'attached'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, new RegExp(`Attached to the driver at ${address} \\(ke neither starts nor stops it\\)`))
    assert.equal(readCluster(home, 'attached').driver.attached, address)
    assert.ok(isAlive(driver.pid!), 'the attached driver is still running')
    const size = await runKe(['size', 'get', 'attached'], {home})
    assert.equal(size.stdout.trim(), '3', 'later commands attach to the same address')
    assert.equal((await runKe(['rm', '-y', 'attached'], {home})).code, 0)
    assert.ok(isAlive(driver.pid!))
  })

  it('accepts loopback addresses only', async () => {
    const result = await runKe(['create', '--attach', '10.1.2.3:5000', 'remote'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--attach "10\.1\.2\.3:5000" is not a loopback address with a port/)
  })
})

describe('check access against the Kubernetes API stand-in', () => {
  let home: string
  let dispose: () => void
  let standin: KubeStandin
  let driverPath: string
  before(async () => {
    ;({home, dispose} = makeHome())
    // each test sets the stand-in's levers it needs
    standin = await startKubeStandin({tokens: ['admin-token-1', 'limited-token-2']})
    driverPath = fixtureDriver('standin-cluster', home)
  })
  after(async () => {
    await standin.close()
    dispose()
  })

  it('stand-in: create --check-access fails with a clear line when the returned token cannot list namespaces', async () => {
    standin.levers.forbidden = [{verb: 'list', resource: 'namespaces'}]
    const result = await runKe(['create', '--driver', driverPath, '--endpoint', standin.url, '--ca-file', standin.caFile, '--token', 'limited-token-2', '--check-access', 'limited'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /cluster limited: the token the driver returned cannot list namespaces/)
  })

  it('stand-in: ke access passes with a token that may list namespaces', async () => {
    standin.levers.forbidden = []
    const created = await runKe(['create', '--driver', driverPath, '--endpoint', standin.url, '--ca-file', standin.caFile, '--token', 'limited-token-2', 'allowed'], {home})
    assert.equal(created.code, 0, created.stderr)
    const result = await runKeJson(['access', 'allowed'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.serverVersion, 'v1.30.2')
    assert.equal(result.json.canListNamespaces, true)
  })

  it('stand-in: a wrong token is reported as rejected (401)', async () => {
    const result = await runKe(['create', '--driver', driverPath, '--endpoint', standin.url, '--ca-file', standin.caFile, '--token', 'wrong-token-9', '--check-access', 'wrongtoken'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /rejected the token the driver returned \(401 Unauthorized\)/)
    assert.ok(!result.stderr.includes('wrong-token-9'))
  })

  it('stand-in: a CA that did not sign the server certificate is reported as not trusted', async () => {
    const otherCa = join(home, 'other-ca.pem')
    writeFileSync(otherCa, await generateUnrelatedCaPem())
    const result = await runKe(['create', '--driver', driverPath, '--endpoint', standin.url, '--ca-file', otherCa, '--token', 'admin-token-1', '--check-access', 'wrongca'], {home})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /the certificate of the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ is not trusted/)
  })
})

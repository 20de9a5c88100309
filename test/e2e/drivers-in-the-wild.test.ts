// Issue 9: drivers as they exist. Key spellings, undeclared options, the driver's environment,
// attaching to a running driver, and a driver-set status. Checking access runs against the real API
// server in check-access-kubernetes.test.ts.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {ROOT, isAlive, keEnv, makeHome, readCluster, runKe, runKeJson, waitFor} from '../support/ke.js'
import {canConnect, pickFreePort} from '../../src/driver/run/ports.js'

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
    assert.equal(seen(home, 'both').displayName, 'both')
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
    assert.deepEqual(seen(home, 'jailed').env, {PATH: '/usr/bin', PICKY_FOO: null, PICKY_FILE: null, HOME: null, NODE_EXTRA_CA_CERTS: null})
  })

  it('keeps its own lifecycle status when the driver sets ClusterInfo.status itself', async () => {
    const record = readCluster(home, 'both')
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
    driver = spawn(process.execPath, [join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js'), String(port)], {env: keEnv({home}), stdio: 'ignore'})
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
    assert.equal(readCluster(home, 'attached').driver.attached, undefined, 'the record is not bound to the port')
    assert.ok(isAlive(driver.pid!), 'the attached driver is still running')
    const size = await runKe(['size', 'get', 'attached', '--attach', address], {home})
    assert.equal(size.stdout.trim(), '3', 'a later command reaches it with --attach')
    assert.equal((await runKe(['rm', '-y', '--attach', address, 'attached'], {home})).code, 0)
    assert.ok(isAlive(driver.pid!))
  })

  it('accepts loopback addresses only', async () => {
    const result = await runKe(['create', '--attach', '10.1.2.3:5000', 'remote'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--attach "10\.1\.2\.3:5000" is not a loopback address with a port/)
  })
})

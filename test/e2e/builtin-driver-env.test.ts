// The built-in sample driver is started without the NODE_EXTRA_CA_CERTS ke inherits: it makes no TLS
// connection, and Node 20 parses that file at every start, on the path of each create and rm. A value
// given with --env or --env-file still reaches it, and every other driver gets ke's environment as it is.
import assert from 'node:assert/strict'
import {mkdirSync, watch, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {rootCertificates} from 'node:tls'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {collect, makeHome, readCluster, runKe, startKe} from '../support/ke.js'
import {driverRecords, environOf, waitForStatus} from './safety-support.js'

/**
 * Starts a slow sample create and returns the environment of the driver that serves it, once Create is
 * under way. `early`: that driver must be the only one started, the one started before ke parsed its
 * flags (a second one would mean ke gave it up). Records are renamed into place: the watch sees each.
 */
async function sampleDriverEnv(home: string, name: string, extra: string[], env: Record<string, string>, early: boolean): Promise<Record<string, string>> {
  const runDir = join(home, 'run')
  mkdirSync(runDir, {recursive: true})
  const recorded = new Set<string>()
  const watcher = watch(runDir, (_event, file) => {
    if (file && /^driver-\d+\.json$/.test(file)) recorded.add(file)
  })
  const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', ...extra, name], {home, env})
  const done = collect(ke, {timeoutMs: 60_000})
  try {
    await waitForStatus(home, name, 'Creating', done)
    const running = driverRecords(home)
    assert.equal(running.length, 1, 'one driver serves the create')
    if (early) assert.deepEqual([...recorded], [`driver-${running[0].pid}.json`], 'the driver started early serves the create')
    return environOf(running[0].pid)
  } finally {
    watcher.close()
    ke.kill('SIGINT')
    await done
  }
}

describe("the built-in sample driver's environment", () => {
  let home: string
  let dispose: () => void
  let caFile: string
  before(() => {
    ;({home, dispose} = makeHome())
    caFile = join(home, 'extra-ca.pem')
    writeFileSync(caFile, rootCertificates[0])
  })
  after(() => dispose())

  it('has no NODE_EXTRA_CA_CERTS from ke, whether started before ke parsed its flags or after', async () => {
    const early = await sampleDriverEnv(home, 'early', [], {NODE_EXTRA_CA_CERTS: caFile, KE_TEST_MARK: 'inherited'}, true)
    assert.equal(early.KE_TEST_MARK, 'inherited')
    assert.equal(early.NODE_EXTRA_CA_CERTS, undefined)
    // --env-file makes ke start the driver itself, once the flags are parsed
    const envFile = join(home, 'driver.env')
    writeFileSync(envFile, 'SAMPLE_NOTE=from-file\n')
    const late = await sampleDriverEnv(home, 'late', ['--env-file', envFile], {NODE_EXTRA_CA_CERTS: caFile, KE_TEST_MARK: 'inherited'}, false)
    assert.deepEqual([late.KE_TEST_MARK, late.SAMPLE_NOTE, late.NODE_EXTRA_CA_CERTS], ['inherited', 'from-file', undefined])
  })

  it('gets NODE_EXTRA_CA_CERTS when it is given with --env or --env-file', async () => {
    const givenFile = join(home, 'given-ca.pem')
    writeFileSync(givenFile, rootCertificates[1])
    const given = await sampleDriverEnv(home, 'given', ['--env', `NODE_EXTRA_CA_CERTS=${givenFile}`], {NODE_EXTRA_CA_CERTS: caFile}, false)
    assert.equal(given.NODE_EXTRA_CA_CERTS, givenFile)
    const envFile = join(home, 'ca.env')
    writeFileSync(envFile, `NODE_EXTRA_CA_CERTS=${givenFile}\n`)
    const fromFile = await sampleDriverEnv(home, 'from-file', ['--env-file', envFile], {NODE_EXTRA_CA_CERTS: caFile}, false)
    assert.equal(fromFile.NODE_EXTRA_CA_CERTS, givenFile)
  })

  it('is left whole for any other driver', async () => {
    const picky = fixtureDriver('picky', home)
    const result = await runKe(['create', '--driver', picky, 'other'], {home, env: {NODE_EXTRA_CA_CERTS: caFile}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(readCluster(home, 'other').info.metadata.seen).env.NODE_EXTRA_CA_CERTS, caFile)
  })
})

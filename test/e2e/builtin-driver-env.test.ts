// The built-in sample driver is started without the NODE_EXTRA_CA_CERTS ke inherits: it makes no TLS
// connection, and Node 20 parses that file at every start, on the path of each create and rm. A value
// given with --env still reaches it, and every other driver gets ke's environment as it is.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {rootCertificates} from 'node:tls'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {clusterExists, collect, makeHome, readCluster, runKe, startKe, waitFor} from '../support/ke.js'

/** The driver records of KE_HOME/run: one per driver ke has running. */
function driverRecords(home: string): Array<{pid: number}> {
  try {
    return readdirSync(join(home, 'run'))
      .filter((name) => /^driver-\d+\.json$/.test(name))
      .map((name) => JSON.parse(readFileSync(join(home, 'run', name), 'utf8')))
  } catch {
    return []
  }
}

function environOf(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8')
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
}

/**
 * Starts a slow sample create and returns the environment of the driver that serves it, once Create is
 * under way. `early`: that driver must be the one started before ke parsed its flags (the first one
 * recorded), not a second one started after it was given up.
 */
async function sampleDriverEnv(home: string, name: string, extra: string[], env: Record<string, string>, early: boolean): Promise<Record<string, string>> {
  const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', ...extra, name], {home, env})
  const done = collect(ke, {timeoutMs: 60_000})
  try {
    const first = await waitFor(() => driverRecords(home)[0], 'a driver to start')
    await waitFor(() => clusterExists(home, name) && readCluster(home, name).status === 'Creating', 'the create to reach Creating')
    const running = driverRecords(home)
    assert.equal(running.length, 1, 'one driver serves the create')
    if (early) assert.equal(running[0].pid, first.pid, 'the driver started early serves the create')
    return environOf(running[0].pid)
  } finally {
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

  it('gets NODE_EXTRA_CA_CERTS when it is given with --env', async () => {
    const givenFile = join(home, 'given-ca.pem')
    writeFileSync(givenFile, rootCertificates[1])
    const given = await sampleDriverEnv(home, 'given', ['--env', `NODE_EXTRA_CA_CERTS=${givenFile}`], {NODE_EXTRA_CA_CERTS: caFile}, false)
    assert.equal(given.NODE_EXTRA_CA_CERTS, givenFile)
  })

  it('is left whole for any other driver', async () => {
    const picky = fixtureDriver('picky', home)
    const result = await runKe(['create', '--driver', picky, 'other'], {home, env: {NODE_EXTRA_CA_CERTS: caFile}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(readCluster(home, 'other').info.metadata.seen).env.NODE_EXTRA_CA_CERTS, caFile)
  })
})

// The built-in sample driver is started without the NODE_EXTRA_CA_CERTS ke inherits: it makes no TLS
// connection, and Node 20 parses that file at every start, on the path of each create and rm. A value
// given with --env still reaches it, and every other driver gets ke's environment as it is.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {rootCertificates} from 'node:tls'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {collect, makeHome, readCluster, runKe, startKe, waitFor} from '../support/ke.js'

/** The environment of the one driver ke has running now, as the kernel shows it. */
async function runningDriverEnv(home: string): Promise<Record<string, string>> {
  const record = await waitFor(() => {
    const files = (() => {
      try {
        return readdirSync(join(home, 'run')).filter((name) => /^driver-\d+\.json$/.test(name))
      } catch {
        return []
      }
    })()
    return files.length === 1 ? JSON.parse(readFileSync(join(home, 'run', files[0]), 'utf8')) : undefined
  }, 'the driver to be running')
  const raw = readFileSync(`/proc/${record.pid}/environ`, 'utf8')
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
}

/** Starts a slow sample create, returns the driver's environment, then stops ke. */
async function sampleDriverEnv(home: string, name: string, extra: string[], env: Record<string, string>): Promise<Record<string, string>> {
  const ke = startKe(['create', '--driver', 'sample', '--create-seconds', '120', ...extra, name], {home, env})
  const done = collect(ke, {timeoutMs: 60_000})
  try {
    return await runningDriverEnv(home)
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
    const early = await sampleDriverEnv(home, 'early', [], {NODE_EXTRA_CA_CERTS: caFile, KE_TEST_MARK: 'inherited'})
    assert.equal(early.KE_TEST_MARK, 'inherited')
    assert.equal(early.NODE_EXTRA_CA_CERTS, undefined)
    // --env-file makes ke start the driver itself, once the flags are parsed
    const envFile = join(home, 'driver.env')
    writeFileSync(envFile, 'SAMPLE_NOTE=from-file\n')
    const late = await sampleDriverEnv(home, 'late', ['--env-file', envFile], {NODE_EXTRA_CA_CERTS: caFile, KE_TEST_MARK: 'inherited'})
    assert.deepEqual([late.KE_TEST_MARK, late.SAMPLE_NOTE, late.NODE_EXTRA_CA_CERTS], ['inherited', 'from-file', undefined])
  })

  it('gets NODE_EXTRA_CA_CERTS when it is given with --env', async () => {
    const given = await sampleDriverEnv(home, 'given', ['--env', `NODE_EXTRA_CA_CERTS=${caFile}`], {NODE_EXTRA_CA_CERTS: caFile})
    assert.equal(given.NODE_EXTRA_CA_CERTS, caFile)
  })

  it('is left whole for any other driver', async () => {
    const picky = fixtureDriver('picky', home)
    const result = await runKe(['create', '--driver', picky, 'other'], {home, env: {NODE_EXTRA_CA_CERTS: caFile}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(readCluster(home, 'other').info.metadata.seen).env.NODE_EXTRA_CA_CERTS, caFile)
  })
})

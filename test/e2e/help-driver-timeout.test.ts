// Issue 20: a driver that never answers GetDriverCreateOptions must not make `--help` wait a minute in
// silence. Help waits a short default (said in --timeout's help), `--timeout` changes it, and stderr
// names the call waited on; the help is still shown, and the exit code says the driver's part is missing.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, runKe} from '../support/ke.js'

describe('--help with a driver that never answers its options call', () => {
  let home: string
  let dispose: () => void
  let driver: string
  before(() => {
    ;({home, dispose} = makeHome('ke-help-hang-'))
    driver = fixtureDriver('safety-hang', home)
  })
  after(() => dispose())

  it('gives up after the short default, names the call, and still shows the help', async () => {
    // the upper bound only keeps a broken ke from hanging the suite: the default is well below it
    const result = await runKe(['create', '--driver', driver, '--help'], {home, env: {SAFETY_HANG_OPTIONS: '1'}, timeoutMs: 40_000})
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /^Waiting for driver \S+hang to answer GetDriverCreateOptions \(at most 10 s; --timeout SECONDS changes that\)$/m)
    assert.match(result.stderr, /^Error: the driver's options are not shown: driver \S+hang did not answer GetDriverCreateOptions after 10 s$/m)
    assert.match(result.stdout, /^create a cluster with a driver\n\nUSAGE/)
  })

  it('waits only as long as --timeout says', async () => {
    const result = await runKe(['create', '--driver', driver, '--timeout', '1', '--help'], {home, env: {SAFETY_HANG_OPTIONS: '1'}, timeoutMs: 40_000})
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /^Error: the driver's options are not shown: driver \S+hang did not answer GetDriverCreateOptions after 1 s$/m)
  })

  it('says the default wait in the help of --timeout', async () => {
    const result = await runKe(['create', '--help'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout.replace(/\s+/g, ' '), /--timeout=<value> seconds any one driver call may take \(default: none for create\/update\/remove, 60 for quick calls, 10 for reading the driver's options for --help\)/)
  })
})

// An SDK driver's create that failed after making resources (CreateFailedError) and is retried: the retry
// succeeds although the driver builds on the stored info and never clears createError itself.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, readCluster, runKe} from '../support/ke.js'

describe('SDK › create retried after CreateFailedError', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('fails with the driver\'s message, then the retry ends Running with no create error', async () => {
    const driver = fixtureDriver('sdk-retry', home)
    const marker = join(home, 'fail-once')
    writeFileSync(marker, '')
    const env = {SDK_RETRY_FAIL_MARKER: marker}

    const failed = await runKe(['create', '--driver', driver, 'rt'], {home, env})
    assert.equal(failed.code, 1, failed.stderr)
    assert.match(failed.stderr, /quota reached after making the network/)
    assert.equal(readCluster(home, 'rt').info.createError, 'quota reached after making the network')

    const retried = await runKe(['create', '--driver', driver, 'rt'], {home, env})
    assert.equal(retried.code, 0, retried.stderr)
    const record = readCluster(home, 'rt')
    assert.equal(record.status, 'Running')
    assert.equal(record.info.createError, '')
    assert.deepEqual(JSON.parse(record.info.metadata.state), {attempts: 2})
  })
})

// `ke driver verify` warns when a driver implements Update but declares no update options: `ke update
// NAME --OPTION` (and Rancher's edit form) could then change nothing.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, runKeJson} from '../support/ke.js'
import {checkNamed, type ReportedCheck} from '../support/verify-report.js'

function updateCheck(checks: ReportedCheck[]): ReportedCheck {
  return checkNamed(checks, 'contract.update-options')
}

describe('ke driver verify › update options', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome()))
  after(() => dispose())

  it('warns, and exits 0, when Update is implemented but no update options are declared', async () => {
    const result = await runKeJson(['driver', 'verify', '--driver', fixtureDriver('verify-update-without-options', home)], {home})
    assert.equal(result.code, 0, result.stderr)
    const found = updateCheck(result.json.checks)
    assert.equal(found.status, 'warn')
    assert.match(found.reason, /implements Update but declares no update options/)
    assert.equal(result.json.summary.warnings, 1)
  })

  it('passes when the driver leaves Update out and declares no update options', async () => {
    const result = await runKeJson(['driver', 'verify', '--driver', fixtureDriver('verify-without-update', home)], {home})
    assert.equal(result.code, 0, result.stderr)
    const found = updateCheck(result.json.checks)
    assert.deepEqual([found.status, found.reason], ['pass', 'Update is not implemented and no update options are declared'])
  })

  it('passes, naming how many, when update options are declared (the sample driver)', async () => {
    const result = await runKeJson(['driver', 'verify', '--driver', 'sample'], {home})
    assert.equal(result.code, 0, result.stderr)
    const found = updateCheck(result.json.checks)
    assert.equal(found.status, 'pass')
    assert.equal(found.reason, '3 update options')
  })
})

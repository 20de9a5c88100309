// `ke driver verify --check ID`: only the checks named (by name or group) run and are reported.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {freshHome} from '../support/homes.js'
import {runKe, runKeJson} from '../support/ke.js'

const names = (checks: Array<{name: string}>) => checks.map((check) => check.name)

describe('ke driver verify --check', () => {
  it('reports only the group and the check named, and exits 0 when they pass', async (t) => {
    const home = freshHome(t)
    const result = await runKeJson(['driver', 'verify', '--driver', 'sample', '--check', 'start-up', '--check', 'contract.update-options'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(names(result.json.checks), ['start-up.listens', 'start-up.capabilities', 'start-up.secret', 'contract.update-options'])
    assert.deepEqual(result.json.summary, {passed: 4, failed: 0, warnings: 0, skipped: 0, total: 4})
  })

  it('fails only on the checks selected: a broken GetVersion is not looked at unless asked for', async (t) => {
    const home = freshHome(t)
    const driver = fixtureDriver('verify-false-version-claim', home)
    const options = await runKe(['driver', 'verify', '--driver', driver, '--check', 'options'], {home})
    assert.equal(options.code, 0, options.stderr)
    const contract = await runKeJson(['driver', 'verify', '--driver', driver, '--check', 'contract.get-version'], {home})
    assert.equal(contract.code, 1)
    assert.deepEqual(names(contract.json.checks), ['contract.get-version'])
    assert.deepEqual(contract.json.checks[0].answers, {GetVersion: 'unimplemented'})
    assert.match(contract.stderr, /failed 1 of 1 checks: contract\.get-version/)
  })

  it('turns away a name that is no check or group, in one line, with exit 2', async (t) => {
    const result = await runKe(['driver', 'verify', '--driver', 'sample', '--check', 'option'], {home: freshHome(t)})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: unknown check "option" \(name a check or a group: groups start-up, options, contract, lifecycle; checks start-up\.listens, .*lifecycle\.remove\)\n$/)
  })

  it('turns away a lifecycle check without --full, with exit 2', async (t) => {
    const result = await runKe(['driver', 'verify', '--driver', 'sample', '--check', 'lifecycle.create'], {home: freshHome(t)})
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: check lifecycle.create needs the lifecycle, which makes a real cluster (add --full, or `full: true` with ke/verify)\n')
  })
})

// `ke/verify` as a driver author uses it: a plain ES module in the author's project imports it from
// the package (the built dist, through package.json's exports), runs the checks it names, and gets
// what the driver did as data. It runs in a temporary ke home of its own, never the user's ~/.ke.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it, type TestContext} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {ROOT, collect} from '../support/ke.js'

// What an author writes in their own test. It also notes, as each check starts, which ke-verify-*
// homes exist under the temporary folder, to show where the library worked.
const AUTHOR_SCRIPT = `
import {readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {verifyDriverAt} from 'ke/verify'

const homesSeen = new Set()
const noteHomes = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ke-verify-')).forEach((name) => homesSeen.add(name))
try {
  const report = await verifyDriverAt(process.env.DRIVER, {checks: JSON.parse(process.env.CHECKS), onCheck: noteHomes})
  console.log(JSON.stringify({report, homesSeen: [...homesSeen]}))
} catch (error) {
  console.log(JSON.stringify({error: error.message, homesSeen: [...homesSeen]}))
}
`

interface Machine {
  /** HOME of the author's test run, with a ~/.ke that must stay as it is. */
  home: string
  /** TMPDIR of the author's test run. */
  tmp: string
}

/** A user's machine for one test: HOME with a ~/.ke holding one cluster record, and an empty TMPDIR. */
function machine(t: TestContext): Machine {
  const root = mkdtempSync(join(tmpdir(), 'ke-verify-lib-test-'))
  t.after(() => rmSync(root, {recursive: true, force: true}))
  const home = join(root, 'home')
  const tmp = join(root, 'tmp')
  mkdirSync(join(home, '.ke', 'clusters', 'mine'), {recursive: true})
  writeFileSync(join(home, '.ke', 'clusters', 'mine', 'cluster.json'), '{}')
  mkdirSync(tmp)
  return {home, tmp}
}

function listTree(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort()
}

async function runAuthorScript(script: string, m: Machine, driver: string, checks: string[]): Promise<any> {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: m.home, TMPDIR: m.tmp, DRIVER: driver, CHECKS: JSON.stringify(checks)}
  delete env.KE_HOME
  // run from the author's project, as `node --test` would be
  const child = spawn(process.execPath, [script], {cwd: dirname(script), env, stdio: ['pipe', 'pipe', 'pipe']})
  const result = await collect(child, {timeoutMs: 60_000})
  assert.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout)
}

const names = (report: {checks: Array<{name: string}>}) => report.checks.map((check) => check.name)
const homesLeft = (m: Machine) => readdirSync(m.tmp).filter((name) => name.startsWith('ke-verify-'))

describe('ke/verify imported from the package by a driver author', () => {
  // inside the package, so `import ... from 'ke/verify'` resolves through package.json's exports to dist/
  const project = join(ROOT, 'test', '.verify-library')
  const script = join(project, 'driver.test.mjs')
  let drivers: string
  before(() => {
    mkdirSync(project, {recursive: true})
    writeFileSync(script, AUTHOR_SCRIPT)
    drivers = mkdtempSync(join(tmpdir(), 'ke-verify-lib-drivers-'))
  })
  after(() => {
    rmSync(project, {recursive: true, force: true})
    rmSync(drivers, {recursive: true, force: true})
  })

  it('runs only the checks named (a group and one check) against the sample driver, in a temporary home it removes', async (t) => {
    // Given a user whose ~/.ke holds a cluster record, and no KE_HOME set
    const m = machine(t)
    const keBefore = listTree(join(m.home, '.ke'))

    // When the author's test verifies the sample driver's options and its update options
    const {report, homesSeen, error} = await runAuthorScript(script, m, 'sample', ['options', 'contract.update-options'])

    // Then the report holds exactly those checks, all passed
    assert.equal(error, undefined)
    assert.deepEqual(names(report), [
      'options.create-options',
      'options.update-options',
      'options.types',
      'options.defaults',
      'options.unique-names',
      'options.name-parts',
      'options.usage',
      'options.secrets',
      'contract.update-options',
    ])
    assert.equal(report.ok, true, JSON.stringify(report.checks))
    assert.deepEqual(report.summary, {passed: 9, failed: 0, warnings: 0, skipped: 0, total: 9})
    // and it worked in a temporary home, gone afterwards; ~/.ke is as it was
    assert.equal(homesSeen.length, 1, 'one temporary ke home existed while the checks ran')
    assert.deepEqual(homesLeft(m), [], 'the temporary ke home is removed')
    assert.deepEqual(listTree(join(m.home, '.ke')), keBefore, '~/.ke was changed')
  })

  it('names what a fixture driver did (unimplemented, refused), not ke error codes', async (t) => {
    // Given a driver that claims getVersion but answers GetVersion with UNIMPLEMENTED
    const m = machine(t)
    const driver = fixtureDriver('verify-false-version-claim', drivers)

    // When the author runs the start-up group and the one contract check about it
    const {report} = await runAuthorScript(script, m, driver, ['start-up', 'contract.get-version'])

    // Then only those checks are reported, and the failure says what the driver did
    assert.deepEqual(names(report), ['start-up.listens', 'start-up.capabilities', 'start-up.secret', 'contract.get-version'])
    assert.equal(report.ok, false)
    const getVersion = report.checks.find((check: {name: string}) => check.name === 'contract.get-version')
    assert.equal(getVersion.status, 'fail', JSON.stringify(report.checks))
    assert.deepEqual(getVersion.answers, {GetVersion: 'unimplemented'})
    const secret = report.checks.find((check: {name: string}) => check.name === 'start-up.secret')
    assert.deepEqual([secret.status, secret.answers], ['pass', {GetCapabilities: 'refused'}])
    assert.deepEqual(homesLeft(m), [])
    assert.deepEqual(listTree(join(m.home, '.ke')), ['clusters', 'clusters/mine', 'clusters/mine/cluster.json'])
  })

  it('refuses a check name that does not exist before starting anything', async (t) => {
    const m = machine(t)
    const {error, report, homesSeen} = await runAuthorScript(script, m, 'sample', ['options', 'contract.no-such-check'])
    assert.equal(report, undefined)
    assert.match(error, /^unknown check "contract\.no-such-check"$/)
    assert.deepEqual(homesSeen, [])
    assert.deepEqual(homesLeft(m), [])
  })
})

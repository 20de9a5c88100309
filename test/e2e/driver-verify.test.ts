// `ke driver verify`: run against the sample driver and against fixture drivers that each break one
// rule of the contract (test/fixtures/drivers/verify-*.ts), as real processes.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it, type TestContext} from 'node:test'
import {makeHome, runKe, runKeJson, sampleCloud, sampleRequests, type KeResult} from '../support/ke.js'
import {fixtureDriver, scriptDriver} from '../support/fixtures.js'
import {verifyDriverAt} from '../../src/verify/index.js'

interface Check {
  name: string
  group: string
  status: 'pass' | 'fail' | 'warn' | 'skip'
  reason: string
}

function home(t: TestContext): string {
  const made = makeHome('ke-verify-')
  t.after(made.dispose)
  return made.home
}

function verify(dir: string, driver: string, args: string[] = [], env: Record<string, string> = {}) {
  return runKeJson(['driver', 'verify', '--driver', driver, ...args], {home: dir, env, timeoutMs: 120_000})
}

function check(checks: Check[], name: string): Check {
  const found = checks.find((c) => c.name === name)
  assert.ok(found, `no check ${name} in the report: ${checks.map((c) => c.name).join(', ')}`)
  return found
}

function failedNames(checks: Check[]): string[] {
  return checks.filter((c) => c.status === 'fail').map((c) => c.name)
}

function show(result: KeResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
}

function sampleClusters(dir: string): string[] {
  const clusters = join(sampleCloud(dir), 'clusters')
  return existsSync(clusters) ? readdirSync(clusters) : []
}

/**
 * Fails unless `xml` is well-formed: one root, every tag closed in order, attributes quoted, only
 * XML's own entities. Enough to catch what a JUnit writer gets wrong (escaping, nesting).
 */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '')
  const stack: string[] = []
  let roots = 0
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g
  for (const match of body.matchAll(token)) {
    const [, closing, name, attrs, selfClosing, text, stray] = match
    assert.equal(stray, undefined, `malformed tag at ${match.index}: ${body.slice(match.index!, match.index! + 60)}`)
    for (const entity of `${text ?? ''}${attrs ?? ''}`.match(/&[^;\s]*;?/g) ?? []) {
      assert.match(entity, /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `bad entity ${entity}`)
    }
    if (text !== undefined) {
      assert.ok(stack.length > 0 || text.trim() === '', `text outside the root element: ${text.slice(0, 40)}`)
      continue
    }
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`)
    else if (!selfClosing) {
      if (stack.length === 0) roots++
      stack.push(name)
    } else if (stack.length === 0) roots++
  }
  assert.deepEqual(stack, [], 'unclosed elements')
  assert.equal(roots, 1, 'exactly one root element')
}

describe('ke driver verify', {concurrency: 3}, () => {
  it('passes the sample driver with --full: every lifecycle check runs and the cluster is removed', async (t) => {
    // Given a fresh KE_HOME, where the sample driver keeps its simulated cloud
    const dir = home(t)

    // When the sample driver is verified with --full
    const result = await verify(dir, 'sample', ['--full'])

    // Then nothing failed, the lifecycle ran from Create to Remove, and no cluster is left in the cloud
    assert.equal(result.code, 0, show(result))
    assert.equal(result.json.ok, true)
    assert.equal(result.json.full, true)
    assert.deepEqual(failedNames(result.json.checks), [])
    const lifecycle = result.json.checks.filter((c: Check) => c.group === 'lifecycle')
    assert.deepEqual(lifecycle.filter((c: Check) => c.status !== 'pass').map((c: Check) => c.name), [])
    assert.equal(check(result.json.checks, 'lifecycle.remove').status, 'pass')
    assert.deepEqual(sampleClusters(dir), [])
    const methods = sampleRequests(dir).map((r) => r.method)
    assert.deepEqual(methods.slice(methods.indexOf('Create')), ['Create', 'PostCheck', 'GetVersion', 'SetVersion', 'GetNodeCount', 'SetNodeCount', 'ETCDSave', 'ETCDRestore', 'ETCDRemoveSnapshot', 'Remove'])
  })

  it('prints each check with its status and the verdict, and exits 0, for the sample driver', async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When it is verified without --json
    const result = await runKe(['driver', 'verify', '--driver', 'sample'], {home: dir})

    // Then the human report lists the checks by group and says the driver keeps the contract
    assert.equal(result.code, 0, show(result))
    assert.match(result.stdout, /^start-up$/m)
    assert.match(result.stdout, /^ {2}pass {2}options\.types +\d+ options/m)
    assert.match(result.stdout, /^ {2}skip {2}contract\.etcd-unclaimed +etcdBackup is claimed/m)
    assert.match(result.stdout, /lifecycle: not run; --full makes a real cluster/)
    assert.match(result.stdout, /driver keeps the contract: \d+ passed, 0 failed/)
    assert.equal(result.stderr, '')
  })

  const caught: Array<{fixture: string; check: string; rule: string; full?: boolean}> = [
    {fixture: 'verify-bad-option-type', check: 'options.types', rule: 'declares an option of type float'},
    {fixture: 'verify-dup-camel', check: 'options.unique-names', rule: 'declares node-count and nodeCount'},
    {fixture: 'verify-empty-part', check: 'options.name-parts', rule: 'declares an option named a--b'},
    {fixture: 'verify-wrong-default', check: 'options.defaults', rule: 'puts the default of an int option in defaultString'},
    {fixture: 'verify-no-usage', check: 'options.usage', rule: 'declares an option without usage text'},
    {fixture: 'verify-etcd-fake-success', check: 'contract.etcd-unclaimed', rule: 'claims no etcd backups but answers ETCDSave with an empty success'},
    {fixture: 'verify-false-version-claim', check: 'contract.get-version', rule: 'claims getVersion but answers GetVersion with UNIMPLEMENTED'},
    {fixture: 'verify-no-token-postcheck', check: 'lifecycle.token', rule: 'returns no token from PostCheck', full: true},
    {fixture: 'verify-bad-state', check: 'lifecycle.state-json', rule: 'keeps metadata.state as text that is not JSON', full: true},
    {fixture: 'verify-drops-state', check: 'lifecycle.state-round-trip', rule: 'drops metadata.state from the info PostCheck returns', full: true},
  ]

  describe('catches each broken rule with the right check', {concurrency: 4}, () => {
    for (const {fixture, check: name, rule, full} of caught) {
      it(`fails ${name}, and only it, and exits 1 when a driver ${rule}`, async (t) => {
        // Given a driver that breaks exactly this rule
        const dir = home(t)
        const driver = fixtureDriver(fixture, dir)

        // When it is verified
        const result = await verify(dir, driver, full ? ['--full'] : [])

        // Then the one check for that rule fails with a reason, the run exits 1 and stderr names the check
        assert.equal(result.code, 1, show(result))
        assert.deepEqual(failedNames(result.json.checks), [name], show(result))
        assert.ok(check(result.json.checks, name).reason.length > 0)
        assert.equal(result.json.ok, false)
        assert.equal(result.json.error.code, 'VERIFY_FAILED')
        assert.equal(result.stderr, `Error: driver ${driver} failed 1 of ${result.json.summary.total} checks: ${name} (${result.json.summary.passed} passed, ${result.json.summary.warnings} warned, ${result.json.summary.skipped} skipped; each failed check above says why)\n`)
      })
    }
  })

  it('warns, and still exits 0, when an option named like a secret is not marked password', async (t) => {
    // Given a driver declaring api-token as a plain string
    const dir = home(t)

    // When it is verified
    const result = await verify(dir, fixtureDriver('verify-leaky-secret', dir))

    // Then options.secrets warns about api-token and the run passes
    assert.equal(result.code, 0, show(result))
    const secrets = check(result.json.checks, 'options.secrets')
    assert.equal(secrets.status, 'warn')
    assert.match(secrets.reason, /create option "api-token" looks like a secret but is not marked password/)
    assert.equal(result.json.summary.warnings, 1)
  })

  it('reports the reason of a failed check in one line: the float option by name', async (t) => {
    // Given a driver declaring ratio with type float
    const dir = home(t)

    // When it is verified
    const result = await verify(dir, fixtureDriver('verify-bad-option-type', dir))

    // Then the reason names the option and its type
    assert.equal(check(result.json.checks, 'options.types').reason, 'create option "ratio" has type "float", which neither Rancher nor ke knows')
  })

  it('still calls Remove when a lifecycle check fails', async (t) => {
    // Given a driver whose PostCheck returns no token, recording every call it gets
    const dir = home(t)
    const record = join(dir, 'calls.txt')

    // When it is verified with --full
    const result = await verify(dir, fixtureDriver('verify-no-token-postcheck', dir), ['--full'], {VERIFY_FIXTURE_RECORD: record})

    // Then the token check fails, but the cluster Create made is removed and the removal reported
    assert.equal(check(result.json.checks, 'lifecycle.token').status, 'fail')
    assert.equal(check(result.json.checks, 'lifecycle.remove').status, 'pass')
    assert.deepEqual(readFileSync(record, 'utf8').trim().split('\n'), ['Create', 'PostCheck', 'Remove'])
  })

  it('removes what Create made when Create reports create_error, and skips the steps after it', async (t) => {
    // Given the sample driver told to fail after making its resources
    const dir = home(t)

    // When it is verified with --full
    const result = await verify(dir, 'sample', ['--full', '--fail-after-create'])

    // Then Create fails with the driver's create_error, the later steps are skipped, and Remove cleans up
    assert.equal(result.code, 1, show(result))
    const create = check(result.json.checks, 'lifecycle.create')
    assert.equal(create.status, 'fail')
    assert.match(create.reason, /^Create reported create_error: simulated failure after creating c-[0-9a-f]+ \(fail-after-create\)$/)
    assert.equal(check(result.json.checks, 'lifecycle.post-check').status, 'skip')
    assert.equal(check(result.json.checks, 'lifecycle.remove').status, 'pass')
    assert.deepEqual(sampleClusters(dir), [])
    assert.deepEqual(failedNames(result.json.checks), ['lifecycle.create'])
  })

  it("creates with the driver's options given as flags and in --config", async (t) => {
    // Given a config file with a node count and a region flag
    const dir = home(t)
    const config = join(dir, 'cluster.yaml')
    writeFileSync(config, 'node-count: 4\n')

    // When the sample driver is verified with --full
    const result = await verify(dir, 'sample', ['--full', '--config', config, '--region', 'verify-west-2'])

    // Then Create received both values, under the declared and the camelCase names
    assert.equal(result.code, 0, show(result))
    const create = sampleRequests(dir).find((r) => r.method === 'Create')!
    assert.equal(create.request.options.intOptions['node-count'], 4)
    assert.equal(create.request.options.intOptions.nodeCount, 4)
    assert.equal(create.request.options.stringOptions.region, 'verify-west-2')
    assert.match(create.request.options.stringOptions.name, /^ke-verify-[0-9a-f]{6}$/)
    assert.equal(check(result.json.checks, 'lifecycle.get-node-count').reason, '4 nodes')
  })

  it('never shows a password option given for --full', async (t) => {
    // Given a secret API key for the sample driver
    const dir = home(t)
    const secret = 'verify-secret-api-key-7d1e'

    // When the sample driver is verified with it, with --debug streaming the driver's log
    const result = await runKe(['driver', 'verify', '--driver', 'sample', '--full', '--api-key', secret, '--debug'], {home: dir})

    // Then neither stdout nor stderr carries it
    assert.equal(result.code, 0, show(result))
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'the secret was printed')
  })

  it('fails start-up.listens and skips everything else when the driver exits before listening', async (t) => {
    // Given a "driver" that exits at once
    const dir = home(t)
    const driver = scriptDriver(dir, 'exits', 'echo "fatal: no credentials" >&2\nexit 3')

    // When it is verified with --full and --junit
    const junit = join(dir, 'report.xml')
    const result = await verify(dir, driver, ['--full', '--junit', junit])

    // Then start-up.listens fails with the exit status, every other check is skipped, and the JUnit report says so
    assert.equal(result.code, 1, show(result))
    const listens = check(result.json.checks, 'start-up.listens')
    assert.equal(listens.status, 'fail')
    assert.match(listens.reason, /exited \(exit code 3\) before listening/)
    assert.deepEqual([...new Set(result.json.checks.filter((c: Check) => c.name !== 'start-up.listens').map((c: Check) => c.status))], ['skip'])
    assert.match(readFileSync(junit, 'utf8'), /<testsuites [^>]*failures="1"/)
  })

  it('--junit writes well-formed JUnit XML with one failure per failed check', async (t) => {
    // Given a driver that fails two checks with --full (contract.get-version and lifecycle.get-version)
    const dir = home(t)
    const junit = join(dir, 'report.xml')

    // When it is verified with --junit
    const result = await verify(dir, fixtureDriver('verify-false-version-claim', dir), ['--full', '--junit', junit])

    // Then the file is well-formed XML whose counts match the report
    assert.deepEqual(failedNames(result.json.checks), ['contract.get-version', 'lifecycle.get-version'])
    const xml = readFileSync(junit, 'utf8')
    assertWellFormedXml(xml)
    const {total, failed, skipped} = result.json.summary
    assert.match(xml, new RegExp(`<testsuites name="ke driver verify [^"]*" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}"`))
    assert.equal(failed, 2)
    assert.equal(xml.match(/<failure /g)?.length, 2)
    assert.equal(xml.match(/<testcase /g)?.length, total)
    assert.equal(xml.match(/<skipped /g)?.length, skipped)
    assert.match(xml, /<testcase classname="ke\.verify\.contract" name="contract\.get-version: [^"]*" time="[\d.]+">\s*<failure message="claims getVersion \(capability 0\) but GetVersion is not implemented: [^"]*" type="contract\.get-version">/)
    assert.ok(existsSync(junit))
  })

  it('--junit writes a report without failures for the sample driver', async (t) => {
    // Given the sample driver
    const dir = home(t)
    const junit = join(dir, 'report.xml')

    // When it is verified with --full --junit
    const result = await verify(dir, 'sample', ['--full', '--junit', junit])

    // Then the XML is well-formed and reports no failure
    assert.equal(result.code, 0, show(result))
    const xml = readFileSync(junit, 'utf8')
    assertWellFormedXml(xml)
    assert.match(xml, /<testsuites [^>]*failures="0"/)
    assert.equal(xml.match(/<failure /g), null)
    // apostrophes in titles are escaped
    assert.match(xml, /option&apos;s type/)
  })

  it('fails with MISSING_VALUE and exit 2 when no driver is given', async (t) => {
    // Given no --driver
    const dir = home(t)

    // When verify runs
    const result = await runKe(['driver', 'verify'], {home: dir})

    // Then one line on stderr says what to pass
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: no driver given (e.g. `ke driver verify --driver ./kontainer-engine-driver-x`)\n')
  })

  it('fails with DRIVER_NOT_FOUND and exit 3 when the driver does not exist', async (t) => {
    // Given a name nothing is installed under
    const dir = home(t)

    // When verify runs
    const result = await runKe(['driver', 'verify', '--driver', 'nosuch'], {home: dir, env: {PATH: '/usr/bin:/bin'}})

    // Then it is a usage error, not a failed check
    assert.equal(result.code, 3)
    assert.match(result.stderr, /^Error: driver nosuch not found: no kontainer-engine-driver-nosuch in .* or on PATH \(.*\)\n$/)
  })

  it('fails with BAD_FLAG when the --junit file cannot be written', async (t) => {
    // Given a --junit path in a directory that does not exist
    const dir = home(t)

    // When the sample driver is verified
    const result = await runKe(['driver', 'verify', '--driver', 'sample', '--junit', join(dir, 'no', 'such', 'report.xml')], {home: dir})

    // Then one line says the report could not be written
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: --junit .*report\.xml: cannot write the report \(ENOENT\) \(pass a file in a directory that exists and is writable\)\n$/)
  })
})

describe('verify API (ke/verify)', () => {
  it('verifyDriverAt reports the same checks as the command, as data', async (t) => {
    // Given a driver that claims getVersion without implementing it
    const dir = home(t)
    const driver = fixtureDriver('verify-false-version-claim', dir)

    // When an author's test verifies it through the API with --full's lifecycle
    const report = await verifyDriverAt(driver, {home: dir, full: true, values: {region: 'r2'}})

    // Then the report holds the failed checks by name, and the driver process is gone
    assert.equal(report.ok, false)
    assert.deepEqual(failedNames(report.checks), ['contract.get-version', 'lifecycle.get-version'])
    assert.equal(check(report.checks, 'start-up.listens').status, 'pass')
    assert.equal(check(report.checks, 'lifecycle.remove').status, 'pass')
    const run = join(dir, 'run')
    assert.deepEqual(existsSync(run) ? readdirSync(run) : [], [], 'a driver record is left: the driver was not stopped')
  })
})

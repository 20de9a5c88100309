// `ke driver options`: the options a real driver declares, as a table and as JSON.
import assert from 'node:assert/strict'
import {describe, it, type TestContext} from 'node:test'
import {makeHome, runKe, runKeJson, type KeResult} from '../support/ke.js'
import {fixtureDriver} from '../support/fixtures.js'

function home(t: TestContext): string {
  const made = makeHome('ke-options-')
  t.after(made.dispose)
  return made.home
}

function show(result: KeResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
}

describe('ke driver options', {concurrency: 3}, () => {
  it("lists the sample driver's create options as a sorted table", async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When its options are listed
    const result = await runKe(['driver', 'options', '--driver', 'sample'], {home: dir})

    // Then a header and one row per option, sorted by name, with type, default, password and usage
    assert.equal(result.code, 0, show(result))
    const lines = result.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^NAME +TYPE +DEFAULT +PASSWORD +USAGE$/)
    const names = lines.slice(1).map((line) => line.split(/\s+/)[0])
    assert.deepEqual(names, [...names].sort())
    assert.equal(names.length, 11)
    assert.match(result.stdout, /^node-count +int +3 +no +number of worker nodes$/m)
    assert.match(result.stdout, /^api-key +string +- +yes +API key of the \(simulated\) provider account$/m)
    assert.match(result.stdout, /^enable-logging +boolPtr +true +no +ship cluster logs to the provider$/m)
  })

  it('prints the options as JSON with --json', async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When its options are listed with --json
    const result = await runKeJson(['driver', 'options', '--driver', 'sample'], {home: dir})

    // Then each option carries its declared default and where it came from
    assert.equal(result.code, 0, show(result))
    assert.equal(result.json.driver, 'sample')
    assert.equal(result.json.kind, 'create')
    const byName = Object.fromEntries(result.json.options.map((o: any) => [o.name, o]))
    assert.deepEqual(byName['node-count'], {name: 'node-count', type: 'int', default: 3, defaultSource: 'default', password: false, usage: 'number of worker nodes'})
    assert.deepEqual(byName['api-key'], {name: 'api-key', type: 'string', password: true, usage: 'API key of the (simulated) provider account'})
  })

  it('lists the update options with --update', async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When its update options are listed
    const result = await runKeJson(['driver', 'options', '--driver', 'sample', '--update'], {home: dir})

    // Then they are GetDriverUpdateOptions' options
    assert.equal(result.code, 0, show(result))
    assert.equal(result.json.kind, 'update')
    assert.deepEqual(result.json.options.map((o: any) => [o.name, o.type]), [['kubernetes-version', 'string'], ['labels', 'stringSlice'], ['node-count', 'intPtr']])
  })

  it('shows an option of an unknown type instead of failing', async (t) => {
    // Given a driver declaring ratio as float
    const dir = home(t)

    // When its options are listed
    const result = await runKe(['driver', 'options', '--driver', fixtureDriver('verify-bad-option-type', dir)], {home: dir})

    // Then ratio is listed with its type as declared
    assert.equal(result.code, 0, show(result))
    assert.match(result.stdout, /^ratio +float +- +no +CPU overcommit ratio$/m)
  })

  it('fails with exit 2 when --driver is missing', async (t) => {
    // Given no --driver
    const dir = home(t)

    // When options are listed
    const result = await runKe(['driver', 'options'], {home: dir})

    // Then one line on stderr says so
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: no driver given (e.g. `ke driver options --driver sample`)\n')
  })
})

// `ke driver schema`: the API schema Rancher builds from a driver's create options, from a real driver.
import assert from 'node:assert/strict'
import {describe, it, type TestContext} from 'node:test'
import {makeHome, runKe, runKeJson, type KeResult} from '../support/ke.js'
import {fixtureDriver} from '../support/fixtures.js'

function home(t: TestContext): string {
  const made = makeHome('ke-schema-')
  t.after(made.dispose)
  return made.home
}

function show(result: KeResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
}

const NO_DEFAULT = {stringValue: '', intValue: 0, boolValue: false, stringSliceValue: null}

describe('ke driver schema', {concurrency: 3}, () => {
  it("prints the sample driver's schema as Rancher stores it", async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When its schema is printed with --json
    const result = await runKeJson(['driver', 'schema', '--driver', 'sample'], {home: dir})

    // Then fields are camelCase, typed and defaulted by Rancher's rules, plus driverName
    assert.equal(result.code, 0, show(result))
    const {schemaName, resourceFields} = result.json
    assert.equal(schemaName, 'sampleEngineConfig')
    assert.deepEqual(Object.keys(resourceFields), [
      'apiKey', 'createSeconds', 'diskSizeGb', 'driverName', 'enableLogging', 'failAfterCreate', 'kubernetesVersion',
      'labels', 'nodeCount', 'private', 'region', 'startDelayMs',
    ])
    assert.deepEqual(resourceFields.nodeCount, {type: 'int', default: {...NO_DEFAULT, intValue: 3}, create: true, update: true, description: 'number of worker nodes'})
    assert.deepEqual(resourceFields.apiKey, {type: 'password', default: NO_DEFAULT, create: true, update: true, description: 'API key of the (simulated) provider account'})
    assert.deepEqual(resourceFields.region.default, {...NO_DEFAULT, stringValue: 'sample-east-1'})
    assert.deepEqual(resourceFields.enableLogging, {type: 'boolean', default: {...NO_DEFAULT, boolValue: true}, create: true, update: true, description: 'ship cluster logs to the provider'})
    assert.equal(resourceFields.labels.type, 'array[string]')
    assert.equal(resourceFields.labels.default.stringSliceValue, null)
    assert.deepEqual(resourceFields.driverName, {type: 'string', default: {...NO_DEFAULT, stringValue: 'sample'}, create: true, update: true})
  })

  it('prints the same JSON without --json', async (t) => {
    // Given the sample driver
    const dir = home(t)

    // When its schema is printed for a human and as --json
    const human = await runKe(['driver', 'schema', '--driver', 'sample'], {home: dir})
    const json = await runKeJson(['driver', 'schema', '--driver', 'sample'], {home: dir})

    // Then both are the same document
    assert.equal(human.code, 0, show(human))
    assert.deepEqual(JSON.parse(human.stdout), json.json)
  })

  it('names the driver after its file name, after kontainer-engine-driver-, or as --name says', async (t) => {
    // Given a driver file kontainer-engine-driver-verify-leaky-secret
    const dir = home(t)
    const driver = fixtureDriver('verify-leaky-secret', dir)

    // When its schema is printed, without and with --name
    const fromFile = await runKeJson(['driver', 'schema', '--driver', driver], {home: dir})
    const named = await runKeJson(['driver', 'schema', '--driver', driver, '--name', 'lke'], {home: dir})

    // Then driverName and schemaName follow the name
    assert.equal(fromFile.code, 0, show(fromFile))
    assert.equal(fromFile.json.schemaName, 'verify-leaky-secretEngineConfig')
    assert.equal(fromFile.json.resourceFields.driverName.default.stringValue, 'verify-leaky-secret')
    assert.equal(fromFile.json.resourceFields.apiToken.type, 'string')
    assert.equal(named.json.schemaName, 'lkeEngineConfig')
    assert.equal(named.json.resourceFields.driverName.default.stringValue, 'lke')
  })

  it('fails with UNKNOWN_FLAG_TYPE and exit 2 for an option of type float, as Rancher refuses the driver', async (t) => {
    // Given a driver declaring ratio as float
    const dir = home(t)
    const driver = fixtureDriver('verify-bad-option-type', dir)

    // When its schema is printed
    const result = await runKe(['driver', 'schema', '--driver', driver], {home: dir})

    // Then one line names the option and its type
    assert.equal(result.code, 2, show(result))
    assert.equal(
      result.stderr,
      'Error: driver verify-bad-option-type: option ratio has type "float", which Rancher does not know (this is a driver bug, report it to its author; `ke driver verify --driver verify-bad-option-type` lists every problem)\n',
    )
    assert.equal(result.stdout, '')
  })

  it('fails with VERIFY_FAILED and exit 1 for an option named a--b, which crashes Rancher', async (t) => {
    // Given a driver declaring a--b
    const dir = home(t)

    // When its schema is printed with --json
    const result = await runKeJson(['driver', 'schema', '--driver', fixtureDriver('verify-empty-part', dir)], {home: dir})

    // Then the error names the option
    assert.equal(result.code, 1, show(result))
    assert.equal(result.json.error.code, 'VERIFY_FAILED')
    assert.equal(result.json.error.message, 'driver verify-empty-part: option name "a--b" has an empty part between dashes, which crashes Rancher')
  })

  it('fails for two options that become the same field', async (t) => {
    // Given a driver declaring node-count and nodeCount
    const dir = home(t)

    // When its schema is printed
    const result = await runKe(['driver', 'schema', '--driver', fixtureDriver('verify-dup-camel', dir)], {home: dir})

    // Then the error names both
    assert.equal(result.code, 1, show(result))
    assert.match(result.stderr, /^Error: driver verify-dup-camel: options node-count and nodeCount all become field nodeCount: Rancher keeps one of them at random \(/)
  })
})

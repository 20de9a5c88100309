// Issue 18, secrets given as undeclared options: `--set-secret` sends an option the driver does not
// declare without ke storing or printing it, and an undeclared `--set` named like a secret is warned about.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeHome, runKe, runKeJson, sampleRequests} from '../support/ke.js'
import {fingerprint} from '../../src/builtin-drivers/sample/cloud.js'

/** Every file ke wrote under KE_HOME (the sample driver's simulated cloud is the provider's, not ke's). */
function keFiles(home: string): string[] {
  return readdirSync(home, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).includes('/sample-cloud/'))
    .map((entry) => join(entry.parentPath, entry.name))
}

function createOptions(home: string, cluster: string): any {
  return sampleRequests(home).findLast((r) => r.method === 'Create' && r.request.options.stringOptions.name === cluster)!.request.options
}

describe('--set-secret', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-set-secret-')))
  after(() => dispose())

  it('sends an undeclared secret to the driver, and neither stores nor prints it', async () => {
    const secret = 'undeclared-secret-7f3a9c'
    // When a cluster is created with an option the sample driver does not declare, given as a secret
    const created = await runKe(['create', '--driver', 'sample', '--set-secret', `apiToken=${secret}`, 'with-secret'], {home})
    // Then the driver received it (the sample cloud records a secret-named value by its hash)
    assert.equal(created.code, 0, created.stderr)
    assert.equal(createOptions(home, 'with-secret').stringOptions.apiToken, fingerprint(secret))
    // and no file ke wrote, and no output, holds it
    for (const file of keFiles(home)) assert.ok(!readFileSync(file, 'utf8').includes(secret), `${file} holds the secret`)
    assert.ok(!created.stdout.includes(secret) && !created.stderr.includes(secret))
    const inspected = await runKe(['inspect', 'with-secret', '--json'], {home})
    assert.equal(inspected.code, 0, inspected.stderr)
    assert.ok(!inspected.stdout.includes(secret))
  })

  it('takes the value from KE_OPT_<NAME> when only the name is given, out of argv, and a dry run shows it redacted', async () => {
    const secret = 'from-the-environment-41b2'
    const env = {KE_OPT_API_TOKEN: secret}
    // When the dry run shows what would be sent
    const dry = await runKeJson(['create', '--driver', 'sample', '--set-secret', 'apiToken', '--dry-run', 'from-env'], {home, env})
    assert.equal(dry.code, 0, dry.stderr)
    assert.equal(dry.json.options.stringOptions.apiToken, '<redacted>')
    assert.ok(!dry.stdout.includes(secret))
    // When it is created
    const created = await runKe(['create', '--driver', 'sample', '--set-secret', 'apiToken', 'from-env'], {home, env})
    assert.equal(created.code, 0, created.stderr)
    // Then the driver received the value of the variable
    assert.equal(createOptions(home, 'from-env').stringOptions.apiToken, fingerprint(secret))
    for (const file of keFiles(home)) assert.ok(!readFileSync(file, 'utf8').includes(secret), `${file} holds the secret`)
  })

  it('says which variable is missing when only the name is given and it is unset', async () => {
    const result = await runKe(['create', '--driver', 'sample', '--set-secret', 'apiToken', 'no-value'], {home, env: {KE_OPT_API_TOKEN: undefined}})
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr, 'Error: --set-secret apiToken: KE_OPT_API_TOKEN is not set (export KE_OPT_API_TOKEN=… first, or pass --set-secret apiToken=VALUE)\n')
  })
})

describe('--set of an undeclared option named like a secret', () => {
  it('warns that it is handled as a secret (not stored) and names --set-secret; a name like ssh-key-name is not warned about', async (t) => {
    const {home, dispose} = makeHome('ke-set-warn-')
    t.after(dispose)
    const result = await runKe(['create', '--driver', 'sample', '--set', 'access-token=plain-1', '--set', 'ssh-key-name=mine', 'warned'], {home})
    assert.equal(result.code, 0, result.stderr)
    const warnings = result.stderr.split('\n').filter((line) => line.includes('Warning:'))
    assert.deepEqual(
      warnings.map((line) => line.slice(line.indexOf('Warning:'))),
      ['Warning: --set access-token: the driver does not declare it and it looks like a secret, so ke sends it but never stores or prints it (give it again on retry and update); --set-secret access-token with the value in KE_OPT_ACCESS_TOKEN also keeps it out of the process list'],
    )
    const stored = readFileSync(join(home, 'clusters', 'warned', 'cluster.json'), 'utf8')
    assert.ok(!stored.includes('plain-1'), 'the secret-looking value is not stored')
  })
})

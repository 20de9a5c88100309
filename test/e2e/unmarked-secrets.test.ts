// Issue 20, "Secrets a driver forgot to mark": most real drivers declare their API token as a plain
// string. Options named like secrets (the rule `ke driver verify` warns with) are handled as password
// options: redacted in every output, never stored, needed again by a retry or an update.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, readCluster, runKe, runKeJson, type KeResult} from '../support/ke.js'

const TOKEN = 'plain-token-7f3a9c21e8'
const OTHER_TOKEN = 'plain-token-second-55b2d0'

function assertHidden(result: KeResult, secret: string, what: string): void {
  assert.ok(!result.stdout.includes(secret), `${what}: stdout shows the token`)
  assert.ok(!result.stderr.includes(secret), `${what}: stderr shows the token`)
}

function clusterFiles(home: string, name: string): string {
  return ['cluster.json', 'driver.log'].map((file) => readFileSync(join(home, 'clusters', name, file), 'utf8')).join('\n')
}

describe('options named like secrets, not marked password', () => {
  let home: string
  let dispose: () => void
  let plain: string
  before(() => {
    ;({home, dispose} = makeHome())
    plain = fixtureDriver('plain-strings', home)
  })
  after(() => dispose())

  it('are redacted in --dry-run, human and JSON', async () => {
    const human = await runKe(['create', '--driver', plain, '--access-token', TOKEN, '--dry-run', 'dry'], {home})
    assert.equal(human.code, 0, human.stderr)
    assertHidden(human, TOKEN, 'dry run')
    assert.match(human.stdout, /access-token\s+string\s+<redacted>\s+flag/)
    const json = await runKeJson(['create', '--driver', plain, '--dry-run', 'dry'], {home, env: {KE_OPT_ACCESS_TOKEN: TOKEN}})
    assertHidden(json, TOKEN, 'dry run --json')
    assert.equal(json.json.options.stringOptions['access-token'], '<redacted>')
    assert.equal(json.json.options.stringOptions.accessToken, '<redacted>')
  })

  it('are shown in help as secrets, to be given by environment', async () => {
    const help = await runKe(['create', '--driver', plain, '--help'], {home})
    assert.equal(help.code, 0, help.stderr)
    // help wraps to the terminal's width: compare with the line breaks folded
    assert.ok(help.stdout.replace(/\s+/g, ' ').includes('--access-token=<value> API token of the provider account [string; secret, or set KE_OPT_ACCESS_TOKEN]'), help.stdout)
  })

  it('are never stored, and are redacted from errors, the driver log, inspect and ls --json', async () => {
    // Given a create that fails after making resources, with an error quoting the token
    const failed = await runKe(['create', '--driver', plain, '--access-token', TOKEN, '--fail-first-create', '--debug', 'leaky'], {home})
    assert.equal(failed.code, 1)
    assert.match(failed.stderr, /quota exceeded for the account of token <redacted>/)
    assertHidden(failed, TOKEN, 'failed create')
    assert.ok(!clusterFiles(home, 'leaky').includes(TOKEN), 'cluster.json and driver.log hold no token')
    assert.equal(readCluster(home, 'leaky').options['access-token'], undefined)
    for (const args of [['inspect', 'leaky'], ['ls', '--json'], ['logs', 'leaky']]) assertHidden(await runKe(args, {home}), TOKEN, args.join(' '))
  })

  it('are needed again by a retry, as password options are', async () => {
    const bare = await runKe(['create', '--driver', plain, '--access-token', TOKEN, '--fail-first-create', 'again'], {home})
    assert.equal(bare.code, 1)
    // When the create is retried without the token, the driver receives none
    const retry = await runKe(['create', 'again'], {home})
    assert.equal(retry.code, 0, retry.stderr)
    assert.equal(JSON.parse(readCluster(home, 'again').info.metadata.created).token, '', 'the stored record gave no token')
    assert.ok(!retry.stderr.includes('access-token'), 'the retry line names no secret')
  })

  it('given on update, are sent, redacted and not stored', async () => {
    assert.equal((await runKe(['create', '--driver', plain, '--access-token', TOKEN, 'upd'], {home})).code, 0)
    const dry = await runKe(['update', 'upd', '--set', `access-token=${OTHER_TOKEN}`, '--dry-run'], {home})
    assert.equal(dry.code, 0, dry.stderr)
    assertHidden(dry, OTHER_TOKEN, 'update dry run')
    const update = await runKe(['update', 'upd', '--set', `access-token=${OTHER_TOKEN}`, '--debug'], {home})
    assert.equal(update.code, 0, update.stderr)
    assertHidden(update, OTHER_TOKEN, 'update')
    assert.match(JSON.parse(readCluster(home, 'upd').info.metadata.updated).token, /^sha256:/, 'the driver received it')
    assert.ok(!clusterFiles(home, 'upd').includes(TOKEN) && !clusterFiles(home, 'upd').includes(OTHER_TOKEN))
  })
})

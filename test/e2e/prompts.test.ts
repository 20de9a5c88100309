// Interactive `ke create` and `ke rm`: prompts at a terminal (driven through a pseudo-terminal), and
// usage errors naming the flag everywhere else (CI, --json, pipes).
import {describe, it, beforeEach, afterEach} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {copyFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {clusterExists, makeHome, readCluster, runKe, runKeJson, sampleRequests} from '../support/ke.js'
import {KEY, startKeInPty} from '../support/pty.js'

/** How the sample driver records a secret it received (src/builtin-drivers/sample/cloud.ts). */
const fingerprint = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`
const createRequest = (home: string) => sampleRequests(home).find((r) => r.method === 'Create')!.request.options

let home: string
let dispose: () => void

beforeEach(() => {
  ;({home, dispose} = makeHome('ke-prompts-'))
})

afterEach(() => dispose())

describe('ke create at a terminal', () => {
  it('asks for the cluster name when none is given, and creates the cluster', async () => {
    // Given a terminal and `ke create --driver sample` without NAME (the secret given, so only the name is missing)
    const pty = startKeInPty(['create', '--driver', 'sample', '--api-key', 'k-123456'], {home})

    // When the name prompt appears and a name is typed
    await pty.waitFor(/Cluster name/)
    pty.type(`typed-name${KEY.enter}`)

    // Then the cluster is created under that name
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(readCluster(home, 'typed-name').status, 'Running')
    assert.match(pty.screen(), /Cluster typed-name is Running/)
  })

  it('refuses an invalid name at the prompt and asks again', async () => {
    // Given the name prompt
    const pty = startKeInPty(['create', '--driver', 'sample', '--api-key', 'k-123456'], {home})
    await pty.waitFor(/Cluster name/)

    // When an invalid name is typed, then a valid one
    pty.type(`Bad_Name${KEY.enter}`)
    await pty.waitFor(/lower-case/i, 'the name rule under the prompt')
    for (let i = 0; i < 'Bad_Name'.length; i++) pty.type('\x7f')
    pty.type(`good-name${KEY.enter}`)

    // Then the valid one is used
    assert.equal(await pty.exited, 0, pty.screen())
    assert.ok(clusterExists(home, 'good-name'))
  })

  it('offers the built-in and installed drivers when --driver is missing', async () => {
    // Given a driver installed by hand in $KE_HOME/drivers
    mkdirSync(join(home, 'drivers'), {recursive: true})
    copyFileSync('/bin/true', join(home, 'drivers', 'kontainer-engine-driver-handmade'))

    // When `ke create NAME` runs at a terminal without --driver
    const pty = startKeInPty(['create', 'picked', '--api-key', 'k-123456'], {home})
    await pty.waitFor(/Driver/)

    // Then the list shows sample and the installed driver; Enter picks the first, sample
    await pty.waitFor(/sample[\s\S]*handmade/, 'sample and handmade in the list')
    pty.type(KEY.enter)
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(readCluster(home, 'picked').driver.ref, 'sample')
  })

  it('asks for an unset password option with a masked prompt and sends the answer to the driver', async () => {
    // Given the sample driver, whose api-key option is a password with no default
    const pty = startKeInPty(['create', '--driver', 'sample', 'with-secret'], {home})

    // When the secret prompt appears and a key is typed
    await pty.waitFor(/--api-key \(secret, Enter to leave unset\)/)
    pty.type(`typed-s3cret-key${KEY.enter}`)

    // Then the driver received it, and the terminal only ever showed a mask
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(createRequest(home).stringOptions['api-key'], fingerprint('typed-s3cret-key'))
    assert.doesNotMatch(pty.output(), /typed-s3cret-key/)
    assert.match(pty.screen(), /\*{16}/)
    // And the secret was not stored with the cluster
    assert.doesNotMatch(JSON.stringify(readCluster(home, 'with-secret')), /typed-s3cret-key/)
  })

  it('leaves a password option unset when the answer is empty', async () => {
    // Given the secret prompt
    const pty = startKeInPty(['create', '--driver', 'sample', 'no-secret'], {home})
    await pty.waitFor(/--api-key/)

    // When Enter is pressed without typing
    pty.type(KEY.enter)

    // Then the driver gets the empty value it gets without a prompt
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(createRequest(home).stringOptions['api-key'], '')
  })

  it('does not ask for a password option set through the environment', async () => {
    // Given KE_OPT_API_KEY set
    // When a cluster is created at a terminal
    const pty = startKeInPty(['create', '--driver', 'sample', 'from-env'], {home, env: {KE_OPT_API_KEY: 'env-key-123'}})

    // Then no prompt appears and the driver gets the value from the environment
    assert.equal(await pty.exited, 0, pty.screen())
    assert.doesNotMatch(pty.screen(), /api-key/)
    assert.equal(createRequest(home).stringOptions['api-key'], fingerprint('env-key-123'))
  })

  it('exits 130 and creates nothing when Ctrl-C is pressed at a prompt', async () => {
    // Given the name prompt
    const pty = startKeInPty(['create', '--driver', 'sample'], {home})
    await pty.waitFor(/Cluster name/)

    // When Ctrl-C is pressed
    pty.type(KEY.ctrlC)

    // Then ke says so in one line and exits 130
    assert.equal(await pty.exited, 130, pty.screen())
    assert.match(pty.screen(), /Error: cancelled at the prompt; nothing was changed/)
    assert.doesNotMatch(pty.screen(), /\n\s+at /)
  })
})

describe('ke create without a terminal', () => {
  it('exits 2 naming NAME when the name is missing in CI', async () => {
    // Given CI=true (the harness sets it) and no NAME
    // When a cluster is created
    const result = await runKe(['create', '--driver', 'sample'], {home})

    // Then it is a usage error, not a prompt
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), 'Error: no cluster name given (e.g. `ke create --driver sample my-cluster`)')
  })

  it('exits 2 naming --driver when the driver is missing in CI', async () => {
    // Given CI=true and no --driver
    // When a cluster is created
    const result = await runKe(['create', 'my-cluster'], {home})

    // Then the error names the flag
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), 'Error: no driver given (pass --driver PATH|NAME, e.g. `ke create --driver sample my-cluster`)')
  })

  it('never prompts in CI even at a terminal', async () => {
    // Given a terminal but CI=true
    // When a cluster is created without NAME
    const pty = startKeInPty(['create', '--driver', 'sample'], {home, env: {CI: 'true'}})

    // Then it fails as a usage error instead of asking
    assert.equal(await pty.exited, 2, pty.screen())
    assert.match(pty.screen(), /Error: no cluster name given/)
    assert.doesNotMatch(pty.screen(), /Cluster name/)
  })

  it('never prompts with --json even at a terminal', async () => {
    // Given a terminal and --json
    // When a cluster is created without --driver
    const pty = startKeInPty(['create', 'my-cluster', '--json'], {home})

    // Then the JSON error says which value is missing
    assert.equal(await pty.exited, 2, pty.screen())
    assert.match(pty.screen(), /"code": "MISSING_VALUE"/)
    assert.match(pty.screen(), /"message": "no driver given"/)
  })

  it('does not ask for password options without a terminal', async () => {
    // Given stdin and stdout that are pipes, and CI unset
    // When a cluster is created without --api-key
    const result = await runKeJson(['create', '--driver', 'sample', 'piped'], {home, env: {CI: undefined}})

    // Then it is created as before, with the option unset
    assert.equal(result.code, 0, result.stderr)
    assert.equal(createRequest(home).stringOptions['api-key'], '')
  })
})

describe('ke rm at a terminal', () => {
  it('asks for confirmation and keeps the cluster when the answer is no, saying so', async () => {
    // Given a cluster
    assert.equal((await runKe(['create', '--driver', 'sample', 'keep-me'], {home})).code, 0)

    // When it is removed at a terminal without -y and the answer is n
    const pty = startKeInPty(['rm', 'keep-me'], {home})
    await pty.waitFor(/Remove keep-me\?/)
    pty.type(`n${KEY.enter}`)

    // Then the cluster is still there, and ke says so
    assert.equal(await pty.exited, 0, pty.screen())
    assert.ok(clusterExists(home, 'keep-me'))
    assert.match(pty.screen(), /Kept keep-me: nothing was removed/)
  })

  it('removes the cluster when the answer is yes', async () => {
    // Given a cluster
    assert.equal((await runKe(['create', '--driver', 'sample', 'drop-me'], {home})).code, 0)

    // When it is removed at a terminal and the answer is y
    const pty = startKeInPty(['rm', 'drop-me'], {home})
    await pty.waitFor(/Remove drop-me\?/)
    pty.type(`y${KEY.enter}`)

    // Then it is gone
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(clusterExists(home, 'drop-me'), false)
  })

  it('ends the prompt when ke gets SIGTERM while it shows: one line, exit 143, the cluster kept', async () => {
    // Given a cluster, and its removal waiting for a yes at a terminal
    const name = `term-at-prompt-${process.pid}`
    assert.equal((await runKe(['create', '--driver', 'sample', name], {home})).code, 0)
    const pty = startKeInPty(['rm', name], {home})
    await pty.waitFor(new RegExp(`Remove ${name}\\?`))

    // When ke is told to stop (a CI job cancelled, a terminal's session ending)
    const ke = spawnSync('pgrep', ['-f', `run.js rm ${name}`], {encoding: 'utf8'}).stdout.trim().split('\n').filter(Boolean)
    assert.equal(ke.length, 1, `one ke process for rm ${name}: ${ke.join(' ')}`)
    process.kill(Number(ke[0]), 'SIGTERM')

    // Then the prompt ends with one line, ke exits as SIGTERM's code says, and nothing was removed
    assert.equal(await pty.exited, 143, pty.screen())
    assert.match(pty.screen(), /Error: cancelled at the prompt; nothing was changed/)
    assert.ok(clusterExists(home, name))
  })

  it('exits 2 naming -y when confirmation is needed in CI', async () => {
    // Given a cluster and CI=true
    assert.equal((await runKe(['create', '--driver', 'sample', 'ci-cluster'], {home})).code, 0)

    // When it is removed without -y
    const result = await runKe(['rm', 'ci-cluster'], {home})

    // Then nothing is removed and the error names the flag
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), 'Error: removing ci-cluster needs confirmation (pass -y (--yes) when not at a terminal)')
    assert.ok(clusterExists(home, 'ci-cluster'))
  })
})

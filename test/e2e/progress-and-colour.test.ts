// Issue 8: progress on stderr (spinner at a terminal, timestamped lines otherwise, nothing with --quiet)
// and colour (status words in ls; NO_COLOR and --no-color turn it off).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {startKeInPty} from '../support/pty.js'
import {runKe, runKeJson} from '../support/ke.js'
import {createSampleCluster, freshHome} from '../support/homes.js'

const GREEN = '\x1b[32m'

describe('progress and colour', () => {
  it('without a terminal, create prints each stage as a timestamped line on stderr', async (t) => {
    const home = freshHome(t)
    const result = await runKe(['create', '--driver', 'sample', 'lines'], {home})
    assert.equal(result.code, 0, result.stderr)
    for (const stage of ['Pre-Creating', 'Creating', 'Post-Checking']) assert.match(result.stderr, new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${stage}$`, 'm'))
    assert.match(result.stderr, /^\d\d:\d\d:\d\d Cluster lines is Running \(\d+\.\ds\)$/m)
    assert.doesNotMatch(result.stderr, /\x1b\[/, 'no escape sequences without a terminal')
  })

  it('--quiet prints nothing but the result, and --json nothing but the JSON document', async (t) => {
    const home = freshHome(t)
    const quiet = await runKe(['create', '--driver', 'sample', '--quiet', 'hushed'], {home})
    assert.equal(quiet.code, 0)
    assert.equal(quiet.stderr, '')
    const json = await runKeJson(['size', 'get', 'hushed'], {home})
    assert.equal(json.stderr, '')
    assert.deepEqual(json.json, {name: 'hushed', nodeCount: 3})
  })

  it('at a terminal, create shows a spinner with elapsed time for each stage, then a check mark', async (t) => {
    const home = freshHome(t)
    const session = startKeInPty(['create', '--driver', 'sample', '--create-seconds', '1', 'spun'], {home, env: {NO_COLOR: undefined, KE_OPT_API_KEY: 'k-1234'}})
    assert.equal(await session.exited, 0, session.screen())
    assert.match(session.screen(), /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Creating \d+\.\ds/)
    assert.match(session.screen(), /✔ Creating \d+\.\ds/)
    assert.match(session.screen(), /✔ Post-Checking \d+\.\ds/)
  })

  it('at a terminal, a command of one step finishes its line before its result, and an error takes a line of its own', async (t) => {
    const home = freshHome(t)
    await createSampleCluster(home, 'first')
    await createSampleCluster(home, 'second')
    const size = startKeInPty(['size', 'set', 'first', '2'], {home})
    assert.equal(await size.exited, 0, size.screen())
    assert.match(size.screen(), /✔ Setting node count 2 \d+\.\ds\nCluster first has 2 nodes\n/)
    const rm = startKeInPty(['rm', '-y', 'second', 'nosuch'], {home})
    assert.equal(await rm.exited, 3, rm.screen())
    assert.match(rm.screen(), /✔ Removing second \d+\.\ds\nRemoved second\nError: cluster nosuch not found/)
  })

  it('colours status words in ls at a terminal, and not with NO_COLOR or --no-color', async (t) => {
    const home = freshHome(t)
    await createSampleCluster(home, 'spun')
    const coloured = startKeInPty(['ls'], {home, env: {NO_COLOR: undefined}})
    assert.equal(await coloured.exited, 0)
    assert.ok(coloured.output().includes(`${GREEN}Running`), 'Running is green')
    const noColor = startKeInPty(['ls'], {home, env: {NO_COLOR: '1'}})
    assert.equal(await noColor.exited, 0)
    assert.ok(!noColor.output().includes(GREEN))
    const flag = startKeInPty(['ls', '--no-color'], {home, env: {NO_COLOR: undefined}})
    assert.equal(await flag.exited, 0)
    assert.ok(!flag.output().includes(GREEN))
    assert.match(flag.screen(), /spun\s+sample\s+v1\.30\.2\s+\S+\s+3\s+Running/)
  })
})

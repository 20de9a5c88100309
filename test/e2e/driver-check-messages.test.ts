// Issue 20, messages: `ke driver check` says "can run here" from reading the file, and "is a cluster
// driver" only after the program answered the options call; a missing file is not found (exit 3).
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fixtureDriver, scriptDriver} from '../support/fixtures.js'
import {makeHome, runKe, runKeJson} from '../support/ke.js'

describe('ke driver check: runs here, and is a cluster driver', () => {
  let home: string
  let dispose: () => void
  before(() => ({home, dispose} = makeHome('ke-check-msg-')))
  after(() => dispose())

  it('calls a program that answers the options call a cluster driver', async () => {
    const driver = fixtureDriver('minimal', home)
    const result = await runKe(['driver', 'check', driver], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /\n\ncan run here\nis a cluster driver: it answered GetDriverCreateOptions \(\d+ options?\)\n$/)
  })

  it('says a program that runs here but does not answer is not a cluster driver, exit 1', async () => {
    // Given a program that runs fine but serves nothing on the port it is given
    const notADriver = scriptDriver(home, 'echo', 'echo "hello $1"')
    // When it is checked
    const result = await runKeJson(['driver', 'check', notADriver], {home})
    // Then it can run here, but it is not a cluster driver, and the report on stdout ends saying so
    assert.equal(result.code, 1)
    assert.equal(result.json.canRun, true)
    assert.equal(result.json.clusterDriver, false)
    const text = await runKe(['driver', 'check', notADriver], {home})
    assert.match(text.stdout, /\ncan run here\nnot a cluster driver: it did not answer the options call\n$/)
    assert.doesNotMatch(text.stdout, /is a cluster driver/)
    assert.match(text.stderr, /^Error: not a cluster driver: driver \S+echo exited \(exit code 0\) before listening/)
  })

  it('with --no-start only reads the file and never says cluster driver', async () => {
    const result = await runKe(['driver', 'check', '--no-start', process.execPath], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /\ncan run here\n$/)
  })

  it('exits 3 for a file that does not exist, as not found', async () => {
    const result = await runKeJson(['driver', 'check', join(home, 'kontainer-engine-driver-gone')], {home})
    assert.equal(result.code, 3)
    assert.equal(result.json.error.code, 'DRIVER_NOT_FOUND')
    assert.match(result.json.error.message, /kontainer-engine-driver-gone does not exist/)
  })

  it('checks a built-in driver by its name, as --driver names it, a folder of that name here notwithstanding', async () => {
    // Given a folder called sample where ke runs (a driver's source, say)
    const cwd = mkdtempSync(join(home, 'cwd-'))
    mkdirSync(join(cwd, 'sample'))
    const result = await runKe(['driver', 'check', 'sample'], {home, cwd})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^sample, built into ke: \S+sample\.js\n {2}type +JavaScript source\n/)
    assert.match(result.stdout, /\ncan run here\nis a cluster driver: it answered GetDriverCreateOptions \(\d+ options\)\n$/)
    const json = await runKeJson(['driver', 'check', '--no-start', 'sample'], {home, cwd})
    assert.equal(json.json.ref, 'sample')
    assert.equal(json.json.foundAs, 'built into ke')
  })

  it('checks a driver by its name where it is installed, and where it is on PATH', async () => {
    mkdirSync(join(home, 'drivers'), {recursive: true})
    const installed = fixtureDriver('minimal', join(home, 'drivers'))
    const onPath = fixtureDriver('plain-strings', mkdtempSync(join(home, 'bin-')))
    const env = {PATH: `${join(onPath, '..')}:${process.env.PATH}`}
    for (const [name, file, foundAs] of [['minimal', installed, 'installed'], ['plain-strings', onPath, 'on PATH']]) {
      const result = await runKe(['driver', 'check', name], {home, env})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout.split('\n')[0], `${name}, ${foundAs}: ${file}`)
      assert.match(result.stdout, /\nis a cluster driver: it answered GetDriverCreateOptions/)
    }
  })

  it('checks a file where one has the name of a built-in driver', async () => {
    // Given a directory holding a file called sample that is no driver
    const cwd = mkdtempSync(join(home, 'cwd-'))
    writeFileSync(join(cwd, 'sample'), 'not a program\n')
    const result = await runKeJson(['driver', 'check', 'sample'], {home, cwd})
    // Then that file is what is read, not the built-in driver's script, and it cannot run
    assert.equal(result.code, 1)
    assert.equal(result.json.path, 'sample')
    assert.equal(result.json.canRun, false)
  })

  it('says a name that is no file and no driver is not found, and where it was looked for', async () => {
    const cwd = mkdtempSync(join(home, 'cwd-'))
    const result = await runKe(['driver', 'check', 'no-such-driver'], {home, cwd})
    assert.equal(result.code, 3)
    assert.equal(
      result.stderr,
      `Error: no-such-driver is no file here, no built-in driver (sample, import), and no kontainer-engine-driver-no-such-driver in ${join(home, 'drivers')} or on PATH (pass the driver's path, or install it with \`ke driver install URL\`)\n`,
    )
  })

  it('says where a relative path that is not there resolves to, in one line', async () => {
    const cwd = mkdtempSync(join(home, 'cwd-'))
    const result = await runKe(['driver', 'check', './nosuch'], {home, cwd})
    assert.equal(result.code, 3)
    assert.equal(result.stderr, `Error: ./nosuch does not exist (check the path, which resolves to ${join(cwd, 'nosuch')}, or download the driver again)\n`)
  })

  it('refuses an empty driver with exit 2', async () => {
    const result = await runKe(['driver', 'check', ''], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: the driver to check is empty \(pass /)
  })
})

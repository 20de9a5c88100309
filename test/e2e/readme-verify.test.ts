// The README's `ke/verify` example, extracted and run exactly as written: a driver author's
// `node --test` file that imports the library from the package.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ROOT, collect} from '../support/ke.js'
import {readmeExample} from '../support/readme.js'

describe('README › ke/verify from a driver\'s own tests', () => {
  // inside the package, so `import ... from 'ke/verify'` resolves to this package as it would for a user
  const dir = join(ROOT, 'test', '.readme-verify')
  const file = join(dir, 'verify.test.mjs')
  let home: string
  before(() => {
    mkdirSync(dir, {recursive: true})
    writeFileSync(file, readmeExample('verify.test.mjs', 'js'))
    home = mkdtempSync(join(tmpdir(), 'ke-readme-verify-'))
  })
  after(() => {
    rmSync(dir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  })

  it('passes under `node --test` as written, against the sample driver', async () => {
    const env: NodeJS.ProcessEnv = {...process.env, HOME: home}
    delete env.KE_HOME
    delete env.NODE_TEST_CONTEXT
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {cwd: dirname(file), env, stdio: ['pipe', 'pipe', 'pipe']})
    const result = await collect(child, {timeoutMs: 60_000})
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
    assert.match(result.stdout, /^ok 1 - the driver keeps the cluster-driver contract$/m)
    assert.match(result.stdout, /^# fail 0$/m)
  })
})

// `ke --version` (and `-v`, and `version` alone) is answered by bin/run.js before anything else loads:
// the same line oclif would print, and a stdout that cannot take it gets one line, not a stack.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {closeSync, openSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {KE_BIN, makeHome, ROOT, runKe} from '../support/ke.js'

const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}
const LINE = `ke/${version} ${process.platform}-${process.arch} node-${process.version}\n`

describe('ke --version', () => {
  it('prints ke, its version, the platform and Node, for --version, -v and version alone', async () => {
    const {home, dispose} = makeHome()
    try {
      for (const form of ['--version', '-v', 'version']) {
        const result = await runKe([form], {home})
        assert.deepEqual({code: result.code, stdout: result.stdout, stderr: result.stderr}, {code: 0, stdout: LINE, stderr: ''}, form)
      }
    } finally {
      dispose()
    }
  })

  it('says in one line, with exit code 1, that a full stdout could not take it', () => {
    const full = openSync('/dev/full', 'w')
    try {
      const result = spawnSync(process.execPath, [KE_BIN, '--version'], {stdio: ['ignore', full, 'pipe'], encoding: 'utf8'})
      assert.equal(result.status, 1)
      assert.equal(result.stderr, 'Error: cannot write the version to stdout: ENOSPC: no space left on device, write\n')
    } finally {
      closeSync(full)
    }
  })
})

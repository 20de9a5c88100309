// Reading the end of a driver log without reading all of it.
import {describe, it, beforeEach, afterEach} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {readLog} from '../../../src/cluster/logs.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ke-logs-unit-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

function logWith(text: string): string {
  const path = join(dir, 'driver.log')
  writeFileSync(path, text)
  return path
}

describe('readLog', () => {
  it('returns the last lines when the log ends with a newline', async () => {
    const log = await readLog(logWith('one\ntwo\nthree\n'), 2)
    assert.equal(log.text, 'two\nthree\n')
    assert.equal(log.offset, 14)
  })

  it('counts a last line without a newline as a line', async () => {
    const log = await readLog(logWith('one\ntwo\nthree'), 2)
    assert.equal(log.text, 'two\nthree')
  })

  it('returns the whole log when fewer lines exist than asked for, and nothing for 0', async () => {
    assert.equal((await readLog(logWith('one\ntwo\n'), 10)).text, 'one\ntwo\n')
    assert.equal((await readLog(logWith('one\ntwo\n'), 0)).text, '')
  })

  it('finds lines across the 64 KiB read chunks', async () => {
    // Given 5000 lines of 40 bytes (200 KB): line boundaries fall on every side of a chunk edge
    const lines = Array.from({length: 5000}, (_, i) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(28)}`)
    const path = logWith(`${lines.join('\n')}\n`)

    // When the last 1700 lines are read (more than one chunk's worth)
    const log = await readLog(path, 1700)

    // Then exactly those come back
    assert.equal(log.text, `${lines.slice(-1700).join('\n')}\n`)
  })

  it('treats a missing log as empty', async () => {
    const log = await readLog(join(dir, 'nothing.log'), 5)
    assert.deepEqual(log, {path: join(dir, 'nothing.log'), text: '', offset: 0})
  })
})

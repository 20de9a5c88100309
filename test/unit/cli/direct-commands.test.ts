// bin/run.js loads the direct bundle only for the words it lists; src/cli/direct.ts runs the commands it
// knows. A word in one list and not the other is a command that never runs without oclif, or a bundle
// loaded for nothing: every command word and alias of the manifest is in both lists or in neither.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {directCommandFor} from '../../../src/cli/direct.js'
import {ROOT} from '../../support/ke.js'

function binRunDirectWords(): Set<string> {
  const text = readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8')
  const list = /const DIRECT_COMMANDS = new Set\(\[([^\]]*)\]\)/.exec(text)
  assert.ok(list, 'bin/run.js names DIRECT_COMMANDS')
  return new Set([...list[1].matchAll(/'([^']+)'/g)].map((match) => match[1]))
}

function manifestWords(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {aliases?: string[]}>}
  return Object.entries(manifest.commands).flatMap(([id, command]) => [id.split(':')[0], ...(command.aliases ?? [])])
}

describe('the commands run without oclif', () => {
  it('are the same words in bin/run.js and src/cli/direct.ts', () => {
    const listed = binRunDirectWords()
    assert.ok(listed.has('create') && listed.has('rm'))
    for (const word of new Set(manifestWords())) {
      assert.equal(directCommandFor([word, 'x'], {}) !== undefined, listed.has(word), word)
    }
  })

  it('leave help and KE_DIRECT=0 to oclif', () => {
    assert.equal(directCommandFor(['create', '--driver', 'sample', '--help'], {}), undefined)
    assert.equal(directCommandFor(['rm', '-h'], {}), undefined)
    assert.equal(directCommandFor(['rm', '-y', 'x'], {KE_DIRECT: '0'}), undefined)
    assert.notEqual(directCommandFor(['rm', '-y', '--', '-h'], {}), undefined)
  })
})

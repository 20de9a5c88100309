// bin/run.js loads the direct bundle only for the words it lists; src/cli/direct.ts runs the commands it
// knows. A word in one list and not the other is a command that never runs without oclif, or a bundle
// loaded for nothing: every command word and alias of the manifest is in both lists or in neither.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {directCommandFor} from '../../../src/cli/direct.js'
import {ROOT} from '../../support/ke.js'

/** A set of words bin/run.js names, e.g. DIRECT_COMMANDS. */
function binRunWords(name: string): Set<string> {
  const text = readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8')
  const list = new RegExp(`const ${name} = new Set\\(\\[([^\\]]*)\\]\\)`).exec(text)
  assert.ok(list, `bin/run.js names ${name}`)
  return new Set([...list[1].matchAll(/'([^']+)'/g)].map((match) => match[1]))
}

type Manifest = {commands: Record<string, {aliases?: string[]}>}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as Manifest
}

/** Each command of the manifest by the words that run it: a topic's command by both, an alias by its one. */
function manifestCommands(): string[][] {
  return Object.entries(manifest().commands).flatMap(([id, command]) => [id.split(':'), ...(command.aliases ?? []).map((alias) => [alias])])
}

describe('the commands run without oclif', () => {
  it('are the same words in bin/run.js and src/cli/direct.ts', () => {
    const listed = binRunWords('DIRECT_COMMANDS')
    assert.ok(listed.has('create') && listed.has('rm'))
    const direct = manifestCommands().filter((words) => directCommandFor([...words, 'x'], {}) !== undefined)
    // a command run without oclif whose first word bin/run.js does not list would never run so
    for (const words of direct) assert.ok(listed.has(words[0]), words.join(' '))
    // a word bin/run.js lists but no such command takes would load the bundle for nothing
    for (const word of listed) assert.ok(direct.some((words) => words[0] === word), word)
    assert.deepEqual(direct.map((words) => words.join(' ')).filter((words) => words.includes(' ')).sort(), ['etcd remove', 'etcd restore', 'etcd save', 'size get', 'size set', 'version get', 'version set'])
  })

  it('leave help and KE_DIRECT=0 to oclif', () => {
    assert.equal(directCommandFor(['create', '--driver', 'sample', '--help'], {}), undefined)
    assert.equal(directCommandFor(['rm', '-h'], {}), undefined)
    assert.equal(directCommandFor(['rm', '-y', 'x'], {KE_DIRECT: '0'}), undefined)
    assert.notEqual(directCommandFor(['rm', '-y', '--', '-h'], {}), undefined)
    assert.equal(directCommandFor(['version', 'get', '--help'], {}), undefined)
    // a flag before a topic's command word, and the topic alone, are oclif's
    assert.equal(directCommandFor(['size', '--json', 'get', 'x'], {}), undefined)
    assert.equal(directCommandFor(['etcd', 'x'], {}), undefined)
  })

  it("are found by a topic's two words, whatever follows them", async () => {
    const {versionSetCommand, etcdSaveCommand} = await import('../../../src/cli/direct/driver-changes.js')
    assert.equal(await directCommandFor(['version', 'set', 'x', 'v1.31.0'], {})?.(), versionSetCommand)
    assert.equal(await directCommandFor(['set-version', 'x', 'v1.31.0'], {})?.(), versionSetCommand)
    assert.equal(await directCommandFor(['etcd', 'save', '--', 'x', 'y'], {})?.(), etcdSaveCommand)
  })

  it("start the driver early for a command's aliases as for the command", () => {
    const early = binRunWords('DRIVER_COMMANDS')
    for (const [id, command] of Object.entries(manifest().commands)) {
      if (!early.has(id.split(':')[0])) continue
      for (const alias of command.aliases ?? []) assert.ok(early.has(alias), `${alias} (${id})`)
    }
  })
})

// Shell completion: the autocomplete plugin completes commands and flags; `ke __complete-clusters`
// adds cluster names for commands that take NAME. Tested by running bash's completion function the way
// bash runs it on Tab (COMP_WORDS / COMP_CWORD in, COMPREPLY out).
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {KE_BIN, keEnv, makeHome, runKe} from '../support/ke.js'

let home: string
let dispose: () => void
let env: NodeJS.ProcessEnv

/** Runs bash's completion for the words typed (the last one is where Tab was pressed). */
function complete(...words: string[]): string[] {
  const script = [
    'eval "$(ke autocomplete script bash)"',
    'eval "$(ke __complete-clusters --shell bash)"',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
    '_ke_complete_with_clusters',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n')
  const result = spawnSync('bash', ['-c', script], {env, encoding: 'utf8', timeout: 60_000})
  assert.equal(result.status, 0, result.stderr)
  return result.stdout.split('\n').filter(Boolean)
}

before(async () => {
  ;({home, dispose} = makeHome('ke-completion-'))
  // `ke` on PATH, as the completion scripts call it by name; the plugin's cache in the test's directory
  const bin = join(home, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'ke'), `#!/bin/sh\nexec "${process.execPath}" "${KE_BIN}" "$@"\n`)
  chmodSync(join(bin, 'ke'), 0o755)
  env = keEnv({home, env: {PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(home, 'cache')}})
  for (const name of ['alpha', 'beta']) assert.equal((await runKe(['create', '--driver', 'sample', name], {home})).code, 0)
  const cache = spawnSync('ke', ['autocomplete', '--refresh-cache'], {env, encoding: 'utf8', timeout: 60_000})
  assert.equal(cache.status, 0, cache.stderr)
})

after(() => dispose())

describe('ke __complete-clusters', () => {
  it('prints the cluster names one per line', async () => {
    // Given clusters alpha and beta
    // When the completion helper runs
    const result = await runKe(['__complete-clusters'], {home})

    // Then it prints their names and nothing else
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'alpha\nbeta\n')
  })

  it('prints nothing when there are no clusters', async () => {
    // Given an empty KE_HOME
    const empty = makeHome('ke-completion-empty-')
    try {
      // When the completion helper runs
      const result = await runKe(['__complete-clusters'], {home: empty.home})

      // Then stdout is empty and it succeeds
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, '')
    } finally {
      empty.dispose()
    }
  })

  it('is not listed in help', async () => {
    // When the top-level help is shown
    const result = await runKe(['--help'], {home})

    // Then the hidden helper is not in it
    assert.doesNotMatch(result.stdout, /__complete-clusters/)
  })
})

describe('bash completion', () => {
  it('completes cluster names after a command that takes NAME', () => {
    // Given clusters alpha and beta
    // When Tab is pressed after `ke logs` and after `ke logs a`
    // Then the names are offered, filtered by what was typed
    assert.deepEqual(complete('ke', 'logs', ''), ['alpha', 'beta'])
    assert.deepEqual(complete('ke', 'logs', 'a'), ['alpha'])
  })

  it('completes cluster names after topic commands, aliases and value flags', () => {
    // Given clusters alpha and beta
    // When Tab is pressed where NAME goes
    // Then the names are offered, and a flag's value is not taken for NAME
    assert.deepEqual(complete('ke', 'etcd', 'save', ''), ['alpha', 'beta'])
    assert.deepEqual(complete('ke', 'get-version', ''), ['alpha', 'beta'])
    assert.deepEqual(complete('ke', 'logs', '-n', '5', 'b'), ['beta'])
  })

  it('keeps completing names for rm, which takes several', () => {
    // Given one name already typed after rm
    // When Tab is pressed again
    // Then names are still offered
    assert.deepEqual(complete('ke', 'rm', 'alpha', ''), ['alpha', 'beta'])
  })

  it('offers no cluster names where NAME is already given or is not a cluster', () => {
    // Given `ke etcd save alpha <Tab>` (the snapshot name goes there) and `ke driver rm <Tab>` (a driver name)
    // When Tab is pressed
    // Then no cluster names are offered
    assert.deepEqual(complete('ke', 'etcd', 'save', 'alpha', '').filter((w) => w === 'alpha' || w === 'beta'), [])
    assert.deepEqual(complete('ke', 'driver', 'rm', '').filter((w) => w === 'alpha' || w === 'beta'), [])
  })

  it("leaves commands and flags to the plugin's completion", () => {
    // Given a partial command and a partial flag
    // When Tab is pressed
    // Then the plugin completes them as without the cluster-name wrapper
    assert.deepEqual(complete('ke', 'lo'), ['logs'])
    assert.deepEqual(complete('ke', 'logs', '--fo'), ['--follow'])
  })
})

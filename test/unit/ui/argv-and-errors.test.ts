// Reading a few flags from argv before oclif's full parse (the driver decides which flags exist), and
// the "did you mean" suggestion for an unknown flag.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {hasBareFlag, positionalCandidates, readDriverName, readFlagValue, readFlagValues} from '../../../src/ui/argv.js'
import {nearestFlag} from '../../../src/ui/errors.js'

describe('argv › readFlagValue', () => {
  it('reads `--driver x`', () => {
    // Given the value as the next token, Then it is read
    assert.equal(readFlagValue(['c1', '--driver', 'sample', '--region', 'us'], 'driver', 'd'), 'sample')
  })

  it('reads `--driver=x`', () => {
    // Given the value after =, Then it is read
    assert.equal(readFlagValue(['c1', '--driver=./kontainer-engine-driver-lke'], 'driver', 'd'), './kontainer-engine-driver-lke')
  })

  it('reads `-d x`', () => {
    // Given the short flag and the value as the next token, Then it is read
    assert.equal(readFlagValue(['-d', 'sample', 'c1'], 'driver', 'd'), 'sample')
  })

  it('reads `-dx`', () => {
    // Given the value glued to the short flag, Then it is read
    assert.equal(readFlagValue(['-dsample', 'c1'], 'driver', 'd'), 'sample')
  })

  it('keeps an `=` inside the value', () => {
    // Given --set=a=b, Then the value is a=b
    assert.equal(readFlagValue(['--set=a=b'], 'set'), 'a=b')
  })

  it('does not take a longer flag that starts with the same name', () => {
    // Given --driver-timeout before --driver
    // Then the value of --driver is found, not the timeout
    assert.equal(readFlagValue(['--driver-timeout', '30', '--driver', 'sample'], 'driver', 'd'), 'sample')
  })

  it('stops at `--`', () => {
    // Given the flag only after `--`
    // Then it is not read
    assert.equal(readFlagValue(['c1', '--', '--driver', 'sample'], 'driver', 'd'), undefined)
  })

  it('is undefined when the flag is absent, or last without a value', () => {
    // Given no --driver, or --driver as the last token, Then there is no value
    assert.equal(readFlagValue(['c1', '--region', 'us'], 'driver', 'd'), undefined)
    assert.equal(readFlagValue(['c1', '--driver'], 'driver', 'd'), undefined)
  })

  it('finds --driver and -d through readDriverName', () => {
    // Given either spelling, Then readDriverName reads it
    assert.deepEqual([readDriverName(['--driver', 'a']), readDriverName(['-db'])], ['a', 'b'])
  })
})

describe('argv › readFlagValues', () => {
  it('reads every value of a repeated flag in order, in both spellings', () => {
    // Given --env three times, once with =, Then all three values come back in order
    assert.deepEqual(readFlagValues(['--env', 'A=1', 'c1', '--env=B=2', '--env', 'C=3'], 'env'), ['A=1', 'B=2', 'C=3'])
  })

  it('stops at `--`', () => {
    // Given a second --set after --, Then only the first is read
    assert.deepEqual(readFlagValues(['--set', 'a=1', '--', '--set', 'b=2'], 'set'), ['a=1'])
  })

  it('ignores a last flag without a value', () => {
    // Given a trailing --set, Then it adds nothing
    assert.deepEqual(readFlagValues(['--set', 'a=1', '--set'], 'set'), ['a=1'])
  })
})

describe('argv › positionalCandidates', () => {
  it('returns the tokens that are not flags, before `--`', () => {
    // Given a name among flags and values, and a token after --
    // Then every non-flag token before -- is a candidate (the full parse tells values from the name)
    assert.deepEqual(positionalCandidates(['--driver', 'sample', 'c1', '-v', '--', 'extra']), ['sample', 'c1'])
  })

  it('returns nothing for flags only', () => {
    // Given only flags, Then there is no candidate
    assert.deepEqual(positionalCandidates(['--json', '--driver=sample']), [])
  })
})

describe('argv › hasBareFlag', () => {
  it('sees a bare flag before `--` only', () => {
    // Given --debug before --, after --, and with a value, Then only the first counts as bare
    assert.deepEqual([hasBareFlag(['--debug', 'c1'], 'debug'), hasBareFlag(['c1', '--', '--debug'], 'debug'), hasBareFlag(['--debug=true'], 'debug')], [true, false, false])
  })
})

describe('errors › nearestFlag', () => {
  const known = ['driver', 'region', 'node-count', 'json', 'debug']

  it('suggests the known flag a typo is closest to', () => {
    // Given transposed and missing letters
    // Then the intended flags are suggested
    assert.deepEqual([nearestFlag('--drvier', known), nearestFlag('--regin', known), nearestFlag('--node-cuont', known)], ['driver', 'region', 'node-count'])
  })

  it('ignores the dashes and any `=value` of the given flag', () => {
    // Given a typo with a value, Then the suggestion is the flag name
    assert.equal(nearestFlag('--regoin=us', known), 'region')
  })

  it('suggests nothing when no known flag is close', () => {
    // Given a flag far from every known one, Then there is no suggestion
    assert.equal(nearestFlag('--kubeconfig', known), undefined)
  })

  it('suggests nothing when there are no known flags', () => {
    // Given no known flags, Then there is no suggestion
    assert.equal(nearestFlag('--driver', []), undefined)
  })
})

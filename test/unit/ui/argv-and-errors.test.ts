// Reading a few flags from argv before oclif's full parse (the driver decides which flags exist), and
// the "did you mean" suggestion for an unknown flag.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {hasBareFlag, positionalCandidates, readDriverName, readFlagValue, readFlagValues} from '../../../src/ui/argv.js'
import {nearestFlag} from '../../../src/ui/errors.js'

describe('argv › readFlagValue', () => {
  it('reads `--driver x`', () => {
    assert.equal(readFlagValue(['c1', '--driver', 'sample', '--region', 'us'], 'driver', 'd'), 'sample')
  })

  it('reads `--driver=x`', () => {
    assert.equal(readFlagValue(['c1', '--driver=./kontainer-engine-driver-lke'], 'driver', 'd'), './kontainer-engine-driver-lke')
  })

  it('reads `-d x`', () => {
    assert.equal(readFlagValue(['-d', 'sample', 'c1'], 'driver', 'd'), 'sample')
  })

  it('reads `-dx`', () => {
    assert.equal(readFlagValue(['-dsample', 'c1'], 'driver', 'd'), 'sample')
  })

  it('keeps an `=` inside the value', () => {
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
    assert.equal(readFlagValue(['c1', '--region', 'us'], 'driver', 'd'), undefined)
    assert.equal(readFlagValue(['c1', '--driver'], 'driver', 'd'), undefined)
  })

  it('finds --driver and -d through readDriverName', () => {
    assert.deepEqual([readDriverName(['--driver', 'a']), readDriverName(['-db'])], ['a', 'b'])
  })
})

describe('argv › readFlagValues', () => {
  it('reads every value of a repeated flag in order, in both spellings', () => {
    assert.deepEqual(readFlagValues(['--env', 'A=1', 'c1', '--env=B=2', '--env', 'C=3'], 'env'), ['A=1', 'B=2', 'C=3'])
  })

  it('stops at `--`', () => {
    assert.deepEqual(readFlagValues(['--set', 'a=1', '--', '--set', 'b=2'], 'set'), ['a=1'])
  })

  it('ignores a last flag without a value', () => {
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
    assert.deepEqual(positionalCandidates(['--json', '--driver=sample']), [])
  })
})

describe('argv › hasBareFlag', () => {
  it('sees a bare flag before `--` only', () => {
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
    assert.equal(nearestFlag('--regoin=us', known), 'region')
  })

  it('suggests nothing when no known flag is close', () => {
    assert.equal(nearestFlag('--kubeconfig', known), undefined)
  })

  it('suggests nothing when there are no known flags', () => {
    assert.equal(nearestFlag('--driver', []), undefined)
  })
})

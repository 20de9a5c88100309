// The "did you mean" suggestion for an unknown flag (the first parse is specified in test/unit/cli/early-flags.test.ts).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {nearestFlag} from '../../../src/cli/errors.js'

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

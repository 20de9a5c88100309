// Issue 20: `ke rm a b c` exits with the worst code among its names.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {worstExit} from '../../src/errors.js'

describe('worst exit code', () => {
  it('ranks an interruption, then a failure, then conflict, not found and usage', () => {
    assert.equal(worstExit([]), 0)
    assert.equal(worstExit([3, 1, 2]), 1)
    assert.equal(worstExit([2, 3]), 3)
    assert.equal(worstExit([4, 3, 2]), 4)
    assert.equal(worstExit([1, 130]), 130)
  })
})

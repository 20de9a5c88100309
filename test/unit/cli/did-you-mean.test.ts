// "did you mean": never the very name that was given and refused (`ke controller --json` once answered
// "unknown flag --json (did you mean --json?)").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {misspelledOwnFlag, nearestFlag} from '../../../src/cli/errors.js'
import {nearestName} from '../../../src/nearest-name.js'

describe('did you mean › never the name given', () => {
  it('suggests another flag than the one given, or none', () => {
    // Given a list of known names that holds the given one
    const known = ['json', 'jsonl', 'debug']
    // Then the suggestion is a near other name, or nothing when none is near
    assert.equal(nearestFlag('--json', known), 'jsonl')
    assert.equal(nearestFlag('--debug', known), undefined)
    assert.equal(nearestName('driver', ['driver']), undefined)
  })

  it('still suggests the flag a typo is closest to', () => {
    assert.equal(nearestFlag('--jsno', ['json', 'debug']), 'json')
    const error = misspelledOwnFlag(['--drvier'], {flagNames: ['driver', 'json'], helpCommand: 'ke create --help'})
    assert.equal(error?.hint, 'did you mean --driver? see `ke create --help`')
  })
})

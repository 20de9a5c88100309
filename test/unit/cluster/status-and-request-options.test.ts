// Lifecycle status moves, and what kontainer-engine's host adds to the options on a retried create and
// on an update (PROTOCOL.md "Meaning"), which some drivers rely on.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {withRetryMetadata, withUpdateMetadata} from '../../../src/cluster/request-options.js'
import {canMove, isResumable, STATUSES} from '../../../src/cluster/status.js'
import {emptyDriverOptions, type DriverOptions} from '../../../src/protocol/types.js'

function options(changes: Partial<DriverOptions> = {}): DriverOptions {
  return {...emptyDriverOptions(), ...changes}
}

describe('status › canMove', () => {
  it('allows the create path Init → Pre-Creating → Creating → Post-Checking → Running', () => {
    // Given the statuses of a successful create
    const path = ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running'] as const

    // Then each step is allowed
    assert.deepEqual(path.slice(1).map((to, i) => canMove(path[i], to)), [true, true, true, true])
  })

  it('allows every status to move to Error', () => {
    // Given every status, Then any of them can fail
    assert.deepEqual(STATUSES.filter((from) => !canMove(from, 'Error')), [])
  })

  it('allows an update from Running and its way back through Post-Checking', () => {
    // Given a running cluster, Then Running → Updating → Post-Checking → Running is allowed
    assert.deepEqual([canMove('Running', 'Updating'), canMove('Updating', 'Post-Checking'), canMove('Post-Checking', 'Running')], [true, true, true])
  })

  it('allows a failed cluster to retry its create or an update', () => {
    // Given a cluster in Error, Then Error → Pre-Creating and Error → Updating are allowed
    assert.deepEqual([canMove('Error', 'Pre-Creating'), canMove('Error', 'Updating')], [true, true])
  })

  it('refuses skipping steps or going backwards', () => {
    // Given jumps such as Init → Running or Running → Creating, Then they are refused
    assert.deepEqual(
      [canMove('Init', 'Running'), canMove('Creating', 'Running'), canMove('Running', 'Creating'), canMove('Running', 'Init'), canMove('Pre-Creating', 'Post-Checking')],
      [false, false, false, false, false],
    )
  })
})

describe('status › isResumable', () => {
  it('lets `ke create` retry a failed create or one whose ke died mid-way', () => {
    // Given Error and every in-flight create status, Then each resumes
    assert.deepEqual((['Error', 'Init', 'Pre-Creating', 'Creating', 'Post-Checking'] as const).map((status) => isResumable(status)), [true, true, true, true, true])
  })

  it('does not let `ke create` touch a running or updating cluster', () => {
    // Given Running and Updating, Then neither resumes
    assert.deepEqual([isResumable('Running'), isResumable('Updating')], [false, false])
  })
})

describe('request options › retried create', () => {
  it('copies every metadata key, state included, into the string options', () => {
    // Given stored metadata with a state
    const metadata = {state: '{"id":"c-1"}', 'log-id': 'abc', zone: 'b'}

    // When a retried create's options are built
    const sent = withRetryMetadata(options({stringOptions: {region: 'us'}}), metadata)

    // Then every key is a string option, beside the given one
    assert.deepEqual(sent.stringOptions, {region: 'us', state: '{"id":"c-1"}', 'log-id': 'abc', zone: 'b'})
  })

  it('does not override an option the user gave, in any of the four maps', () => {
    // Given a string, an int and a list option named like metadata keys
    const given = options({stringOptions: {zone: 'a'}, intOptions: {nodes: 3}, stringSliceOptions: {labels: ['x']}})

    // When the metadata is added
    const sent = withRetryMetadata(given, {zone: 'b', nodes: '5', labels: 'y'})

    // Then the given values stay and no string copy is added
    assert.deepEqual(sent, given)
  })

  it('leaves the options it was given unchanged', () => {
    // Given options
    const given = options({stringOptions: {region: 'us'}})

    // When metadata is added
    withRetryMetadata(given, {zone: 'b'})

    // Then the original has no new key
    assert.deepEqual(given.stringOptions, {region: 'us'})
  })
})

describe('request options › update', () => {
  it('copies non-state metadata verbatim into string options', () => {
    // Given metadata without a state
    // When an update's options are built
    const sent = withUpdateMetadata(options(), {'log-id': 'abc', 'cluster-id': 'c-9'})

    // Then each key is a string option
    assert.deepEqual(sent.stringOptions, {'log-id': 'abc', 'cluster-id': 'c-9'})
  })

  it('flattens the state into options by JSON type and leaves the state key itself out', () => {
    // Given a state with a string, a number, a bool, a list and values that fit no option type
    const state = JSON.stringify({region: 'us', nodeCount: 3, private: true, zones: ['a', 'b'], nested: {x: 1}, ratio: 1.5, mixed: ['a', 1]})

    // When an update's options are built
    const sent = withUpdateMetadata(options(), {state})

    // Then each fitting value lands in its map, the rest are dropped, and `state` is not an option
    assert.deepEqual(sent, {
      stringOptions: {region: 'us'},
      intOptions: {nodeCount: 3},
      boolOptions: {private: true},
      stringSliceOptions: {zones: ['a', 'b']},
    })
  })

  it('lets the options the user gave win over metadata and state', () => {
    // Given a given int nodeCount and a given string zone, both also in metadata and state
    const given = options({intOptions: {nodeCount: 5}, stringOptions: {zone: 'a'}})

    // When an update's options are built
    const sent = withUpdateMetadata(given, {zone: 'b', state: JSON.stringify({nodeCount: 3, zone: 'c'})})

    // Then the given values are sent unchanged
    assert.deepEqual(sent, given)
  })

  it('lets non-state metadata win over the same key in the state', () => {
    // Given a key both in metadata and in the state
    // When an update's options are built
    const sent = withUpdateMetadata(options(), {zone: 'meta', state: JSON.stringify({zone: 'state'})})

    // Then the metadata value is sent
    assert.deepEqual(sent.stringOptions, {zone: 'meta'})
  })

  it('ignores a state that is not a JSON object', () => {
    // Given states that are not JSON, or JSON but not an object
    // When an update's options are built
    // Then nothing is flattened from them
    for (const state of ['not json', '[1,2]', '"text"', 'null']) {
      assert.deepEqual(withUpdateMetadata(options(), {state}), emptyDriverOptions(), state)
    }
  })
})

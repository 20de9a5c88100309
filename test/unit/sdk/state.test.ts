// The SDK's state helpers: a driver's own state lives as JSON in metadata["state"] (PROTOCOL.md).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {loadState, saveState} from '../../../src/sdk/state.js'
import {emptyClusterInfo} from '../../../src/protocol/types.js'

interface CloudState {
  clusterId: string
  nodes: number
  zones: string[]
}

describe('sdk state', () => {
  it('loads back the state it saved', () => {
    // Given a state saved into an info
    const state: CloudState = {clusterId: 'c-1', nodes: 3, zones: ['a', 'b']}
    const info = saveState(undefined, state)

    // When it is loaded
    const loaded = loadState<CloudState>(info)

    // Then it equals what was saved
    assert.deepEqual(loaded, state)
  })

  it('stores the state as JSON text under metadata.state', () => {
    // When a state is saved
    const info = saveState(emptyClusterInfo(), {clusterId: 'c-1'})

    // Then metadata.state is its JSON
    assert.equal(info.metadata.state, '{"clusterId":"c-1"}')
  })

  it('loads undefined on a first create, when there is no info', () => {
    // When there is no info at all
    // Then there is no state
    assert.equal(loadState(undefined), undefined)
  })

  it('loads undefined from an info without a state key', () => {
    // Given an empty info
    // Then there is no state
    assert.equal(loadState(emptyClusterInfo()), undefined)
  })

  it('loads undefined when metadata.state is not JSON', () => {
    // Given a state a Go driver wrote in another format
    const info = {...emptyClusterInfo(), metadata: {state: 'not json {'}}

    // When it is loaded
    // Then there is no state rather than an exception
    assert.equal(loadState(info), undefined)
  })

  it('keeps the other metadata keys and fields when saving', () => {
    // Given an info with other metadata and an endpoint
    const info = {...emptyClusterInfo(), endpoint: 'https://10.0.0.1', metadata: {'log-id': 'x', state: '{"old":true}'}}

    // When a new state is saved
    const saved = saveState(info, {fresh: true})

    // Then the other key and the endpoint remain, and the state is replaced
    assert.deepEqual(saved.metadata, {'log-id': 'x', state: '{"fresh":true}'})
    assert.equal(saved.endpoint, 'https://10.0.0.1')
  })

  it('leaves the info it was given unchanged', () => {
    // Given an info with an old state
    const info = {...emptyClusterInfo(), metadata: {state: '{"old":true}'}}

    // When a new state is saved
    saveState(info, {fresh: true})

    // Then the original still holds the old state
    assert.equal(info.metadata.state, '{"old":true}')
  })
})

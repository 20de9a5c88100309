// What of a Cluster object wakes the controller (issue 16): its own status writes must not.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {keyOf, triggerOf} from '../../../src/controller/cluster-watch.js'
import type {WatchedCluster} from '../../../src/controller/reconcile-decision.js'

function object(changes: Partial<WatchedCluster['metadata']> = {}, status: WatchedCluster['status'] = {}): WatchedCluster {
  return {
    apiVersion: 'ke.io/v1alpha1',
    kind: 'Cluster',
    metadata: {name: 'web', namespace: 'team', generation: 1, resourceVersion: '10', finalizers: ['ke.io/cluster'], ...changes},
    spec: {driver: {name: 'sample'}},
    status,
  }
}

describe('cluster watch triggers', () => {
  it('keys objects namespace/name', () => {
    assert.equal(keyOf(object()), 'team/web')
  })

  it('ignores a status write (new resourceVersion, same generation)', () => {
    assert.equal(triggerOf(object({resourceVersion: '11'}, {phase: 'Running', observedGeneration: 1})), triggerOf(object()))
  })

  it('wakes on a spec change, a deletion, a finalizer change and an annotation', () => {
    const base = triggerOf(object())
    assert.notEqual(triggerOf(object({generation: 2})), base)
    assert.notEqual(triggerOf(object({deletionTimestamp: '2026-12-01T10:00:00Z'})), base)
    assert.notEqual(triggerOf(object({finalizers: []})), base)
    assert.notEqual(triggerOf(object({annotations: {'ke.io/skip-remove': 'true'}})), base)
  })
})

// What one reconcile does with a Cluster object (issue 16), decided from the object alone.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {decide, FINALIZER, SKIP_REMOVE_ANNOTATION, type WatchedCluster} from '../../../src/controller/reconcile-decision.js'
import type {ClusterStatus} from '../../../src/store/kubernetes/cluster-object.js'

const AT = '2026-12-01T10:00:00.000Z'
const settled = {secretsChanged: false}

function cluster(opts: {generation?: number; finalizers?: string[]; deleting?: boolean; annotations?: Record<string, string>; status?: ClusterStatus} = {}): WatchedCluster {
  return {
    apiVersion: 'ke.io/v1alpha1',
    kind: 'Cluster',
    metadata: {
      name: 'web',
      namespace: 'team',
      generation: opts.generation ?? 1,
      finalizers: opts.finalizers ?? [FINALIZER],
      ...(opts.annotations ? {annotations: opts.annotations} : {}),
      ...(opts.deleting ? {deletionTimestamp: AT} : {}),
    },
    spec: {driver: {name: 'sample'}, options: {'node-count': 2}},
    ...(opts.status ? {status: opts.status} : {}),
  }
}

function history(...statuses: string[]): ClusterStatus['history'] {
  return statuses.map((status) => ({at: AT, status: status as never, command: 'ke controller'}))
}

function ready(reason: string, observedGeneration: number): ClusterStatus {
  return {phase: 'Init', observedGeneration, conditions: [{type: 'Ready', status: 'False', reason, message: 'x', lastTransitionTime: AT}]}
}

describe('reconcile decision', () => {
  it('adds the finalizer first, and nothing else in that pass', () => {
    assert.deepEqual(decide(cluster({finalizers: []}), settled), {kind: 'add-finalizer'})
    assert.deepEqual(decide(cluster({finalizers: ['other.io/x']}), settled), {kind: 'add-finalizer'})
  })

  it('creates a new object (no status yet) once it has the finalizer', () => {
    assert.deepEqual(decide(cluster(), settled), {kind: 'create'})
  })

  it('retries a create that failed or was cut short (from the stored info)', () => {
    for (const phase of ['Error', 'Pre-Creating', 'Creating', 'Post-Checking']) {
      const status = {phase, observedGeneration: 1, history: history('Init', 'Pre-Creating', 'Creating', phase)}
      assert.deepEqual(decide(cluster({status}), settled), {kind: 'create'}, phase)
    }
  })

  it('leaves a Running cluster whose spec was observed alone', () => {
    const action = decide(cluster({generation: 3, status: {phase: 'Running', observedGeneration: 3, history: history('Running')}}), settled)
    assert.equal(action.kind, 'none')
  })

  it('updates a Running cluster whose spec changed (generation ahead of observedGeneration)', () => {
    assert.deepEqual(decide(cluster({generation: 4, status: {phase: 'Running', observedGeneration: 3, history: history('Running')}}), settled), {kind: 'update'})
  })

  it('updates again after an update failed or was cut short (never creates over it)', () => {
    for (const phase of ['Error', 'Updating', 'Post-Checking']) {
      const status = {phase, observedGeneration: 2, history: history('Running', 'Updating', phase)}
      assert.deepEqual(decide(cluster({generation: 2, status}), settled), {kind: 'update'}, phase)
    }
  })

  it('removes a deleted object that has our finalizer', () => {
    assert.deepEqual(decide(cluster({deleting: true, status: {phase: 'Running'}}), settled), {kind: 'remove'})
  })

  it('drops the finalizer without Remove when the skip-remove annotation is "true"', () => {
    assert.deepEqual(decide(cluster({deleting: true, annotations: {[SKIP_REMOVE_ANNOTATION]: 'true'}}), settled), {kind: 'skip-remove'})
    assert.deepEqual(decide(cluster({deleting: true, annotations: {[SKIP_REMOVE_ANNOTATION]: 'false'}}), settled), {kind: 'remove'})
  })

  it('does nothing with a deleted object that no longer has our finalizer', () => {
    assert.equal(decide(cluster({deleting: true, finalizers: ['other.io/x']}), settled).kind, 'none')
  })

  it('waits on an InvalidSpec or BadChecksum verdict until the generation changes', () => {
    for (const reason of ['InvalidSpec', 'BadChecksum']) {
      assert.equal(decide(cluster({generation: 2, status: ready(reason, 2)}), settled).kind, 'none', reason)
      assert.equal(decide(cluster({generation: 3, status: ready(reason, 2)}), settled).kind, 'create', reason)
    }
  })

  it('judges an InvalidSpec verdict again when a Secret it names changed', () => {
    assert.equal(decide(cluster({generation: 2, status: ready('InvalidSpec', 2)}), {secretsChanged: true}).kind, 'create')
  })

  it('retries other failures (Ready=False for another reason)', () => {
    assert.equal(decide(cluster({generation: 2, status: {...ready('Error', 2), phase: 'Error', history: history('Init', 'Pre-Creating', 'Creating', 'Error')}}), settled).kind, 'create')
  })

  it('leaves a cluster a `ke rm` left half removed alone until it is deleted', () => {
    const status = {phase: 'Removing', observedGeneration: 1, history: history('Running', 'Removing')}
    assert.equal(decide(cluster({status}), settled).kind, 'none')
    assert.equal(decide(cluster({status, deleting: true}), settled).kind, 'remove')
  })

  it('leaves a phase this ke does not know alone', () => {
    assert.equal(decide(cluster({status: {phase: 'Hibernating'}}), settled).kind, 'none')
  })
})

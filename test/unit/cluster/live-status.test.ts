// Issue 20: a record left in flight by a ke that died is shown as stopped.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {asStopped} from '../../../src/cluster/status.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import type {Status} from '../../../src/cluster/status.js'

/** A record some ke began: its history holds the status it wrote. */
function record(status: Status): ClusterRecord {
  return {schemaVersion: 1, name: 'c1', driver: {ref: 'sample', display: 'sample'}, status, createdAt: '', updatedAt: '', options: {}, history: [{status, at: '', command: 'create'}]}
}

describe('live status', () => {
  it('shows an in-flight status with no live ke as an interrupted Error', () => {
    for (const status of ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Updating'] as const) {
      const seen = asStopped(record(status), false)
      assert.deepEqual([seen.status, seen.reason], ['Error', `interrupted: the ke running it stopped during ${status}`])
    }
  })

  it('keeps a declared record (Init, no history: no ke began it) as it is, with the reason the controller gave', () => {
    // Given a Cluster applied with kubectl whose spec the controller refused
    const declared = {...record('Init'), history: [], reason: 'driver nosuchdriver not found'}
    // Then it is not shown as interrupted: it is waiting, and says why
    const seen = asStopped(declared, false)
    assert.deepEqual([seen.status, seen.reason], ['Init', 'driver nosuchdriver not found'])
  })

  it('keeps the status while a live ke holds the cluster, and Running or Error always', () => {
    assert.equal(asStopped(record('Creating'), true).status, 'Creating')
    assert.equal(asStopped(record('Running'), false).status, 'Running')
    assert.equal(asStopped({...record('Error'), reason: 'quota'}, false).reason, 'quota')
  })
})

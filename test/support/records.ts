// Cluster records for tests that hand them to a store: every field a record must have, and the test's
// own values on top.
import {emptyClusterInfo} from '../../src/protocol/types.js'
import type {ClusterRecord} from '../../src/store/cluster-record.js'

/** A Running record of the sample driver, created and updated at `at`, with `fields` over it. */
export function aClusterRecord(name: string, fields: Partial<ClusterRecord> & {at?: string} = {}): ClusterRecord {
  const {at = '2026-11-30T10:00:00.000Z', ...rest} = fields
  return {
    schemaVersion: 1,
    name,
    driver: {ref: 'sample', display: 'sample'},
    status: 'Running',
    createdAt: at,
    updatedAt: at,
    options: {},
    info: emptyClusterInfo(),
    history: [{at, status: 'Running', command: 'create'}],
    ...rest,
  }
}

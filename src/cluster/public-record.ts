// A cluster record as shown to a user (`inspect`, `--json`): secrets replaced unless asked for.
import {REDACTED} from '../redact.js'
import type {ClusterInfo} from '../driver/types.js'
import type {ClusterRecord} from '../store/cluster-record.js'

const SECRET_INFO_FIELDS: Array<keyof ClusterInfo> = ['serviceAccountToken', 'password', 'clientKey', 'clientCertificate', 'rootCaCertificate']

export function redactInfo(info: ClusterInfo): ClusterInfo {
  const out = {...info}
  for (const field of SECRET_INFO_FIELDS) if (out[field]) (out as Record<string, unknown>)[field] = REDACTED
  return out
}

export function publicRecord(record: ClusterRecord, opts: {showSecrets?: boolean} = {}): ClusterRecord {
  if (opts.showSecrets || !record.info) return record
  return {...record, info: redactInfo(record.info)}
}

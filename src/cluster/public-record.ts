// A cluster record as shown to a user (`inspect`, `--json`): secrets replaced unless asked for.
import {REDACTED} from '../redact.js'
import {isSecretByName} from '../protocol/secret-names.js'
import type {ClusterInfo} from '../protocol/types.js'
import type {ClusterRecord} from '../store/cluster-record.js'

const SECRET_INFO_FIELDS: Array<keyof ClusterInfo> = ['serviceAccountToken', 'password', 'clientKey', 'clientCertificate', 'rootCaCertificate']

export function redactInfo(info: ClusterInfo): ClusterInfo {
  const out = {...info}
  for (const field of SECRET_INFO_FIELDS) if (out[field]) (out as Record<string, unknown>)[field] = REDACTED
  return out
}

/** Option values named like secrets: never stored now, but a record from an older ke may hold them. */
function redactStoredOptions(options: ClusterRecord['options']): ClusterRecord['options'] {
  return Object.fromEntries(Object.entries(options).map(([name, value]) => [name, typeof value === 'string' && isSecretByName(name, 'string') ? REDACTED : value]))
}

export function publicRecord(record: ClusterRecord, opts: {showSecrets?: boolean} = {}): ClusterRecord {
  if (opts.showSecrets) return record
  return {...record, options: redactStoredOptions(record.options), ...(record.info ? {info: redactInfo(record.info)} : {})}
}

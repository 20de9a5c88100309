// A ClusterRecord as Kubernetes objects, and back (pure). The Cluster object holds what anyone allowed
// to list clusters may see; the driver's ClusterInfo (token, keys, metadata.state) and secret option
// values go to Secrets owned by it.
import {KeError} from '../../errors.js'
import {isSecretByName} from '../../protocol/secret-names.js'
import type {ClusterInfo, OptionValue} from '../../protocol/types.js'
import type {ClusterSummary} from '../cluster-store.js'
import {SCHEMA_VERSION, isProvisioned, isStatus, type ClusterRecord, type HistoryEntry, type Status} from '../cluster-record.js'
import {API_VERSION, KIND} from './crd.js'

export const SCHEMA_ANNOTATION = 'ke.io/schema-version'
export const MANAGED_BY = {'app.kubernetes.io/managed-by': 'ke'}
/** The Cluster keeps its newest history entries only: an object has a size limit, a file has none. */
export const HISTORY_LIMIT = 50
/** The controller's on every Cluster it manages: the object stays until the driver's Remove ran. */
export const FINALIZER = 'ke.io/cluster'

/** Between a failure's reason and the driver log's last lines in status.lastError. */
export const LOG_SEPARATOR = '\n--- driver log, last lines ---\n'

/** status.lastError: the reason, then the driver log's last lines when the record has them. */
export function lastErrorOf(record: Pick<ClusterRecord, 'reason' | 'errorLog'>): string | undefined {
  if (record.reason === undefined) return undefined
  return record.errorLog ? `${record.reason}${LOG_SEPARATOR}${record.errorLog}` : record.reason
}

/** The reason and the log's lines back out of status.lastError. */
function splitLastError(lastError: string): Pick<ClusterRecord, 'reason' | 'errorLog'> {
  const at = lastError.indexOf(LOG_SEPARATOR)
  if (at === -1) return {reason: lastError}
  return {reason: lastError.slice(0, at), errorLog: lastError.slice(at + LOG_SEPARATOR.length)}
}

export interface Condition {
  type: 'Provisioned' | 'Ready'
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime: string
}

export interface ClusterSpec {
  driver: {name: string; display?: string; attached?: string; url?: string; checksum?: string}
  displayName?: string
  options?: Record<string, OptionValue>
  optionsFrom?: Array<{secretRef: {name: string}}>
  keyStyle?: ClusterRecord['keyStyle']
}

export interface ClusterStatus {
  phase?: string
  conditions?: Condition[]
  observedGeneration?: number
  endpoint?: string
  version?: string
  nodeCount?: number
  driverStatus?: string
  lastError?: string
  createdAt?: string
  updatedAt?: string
  history?: HistoryEntry[]
}

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string | Date
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: Array<Record<string, unknown>>
}

export interface ClusterObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: ClusterSpec
  status?: ClusterStatus
}

/** The Secret with the driver's ClusterInfo, verbatim. */
export function infoSecretName(name: string): string {
  return `${name}-info`
}

/** The Secret with secret option values (spec.optionsFrom names it). */
export function optionsSecretName(name: string): string {
  return `${name}-options`
}

/** Cluster API's convention: tools that read `<cluster>-kubeconfig` key `value` find it. */
export function kubeconfigSecretName(name: string): string {
  return `${name}-kubeconfig`
}

function isSecretValue(name: string, value: OptionValue): value is string {
  return typeof value === 'string' && isSecretByName(name, 'string')
}

/**
 * Option values split into what the Cluster may show and what goes to the options Secret. `fromSecrets`
 * names options read from a Secret (a user's own `optionsFrom`): they stay secret whatever their name.
 */
export function splitOptions(options: Record<string, OptionValue>, fromSecrets: ReadonlySet<string> = new Set()): {visible: Record<string, OptionValue>; secret: Record<string, string>} {
  const visible: Record<string, OptionValue> = {}
  const secret: Record<string, string> = {}
  for (const [name, value] of Object.entries(options)) {
    if (isSecretValue(name, value) || (fromSecrets.has(name) && typeof value === 'string')) secret[name] = value
    else visible[name] = value
  }
  return {visible, secret}
}

export function toSpec(record: ClusterRecord, fromSecrets?: ReadonlySet<string>): ClusterSpec {
  const {visible, secret} = splitOptions(record.options, fromSecrets)
  const {ref, display, attached} = record.driver
  return {
    driver: {name: ref, ...(display !== ref ? {display} : {}), ...(attached ? {attached} : {})},
    ...(record.displayName !== undefined ? {displayName: record.displayName} : {}),
    options: visible,
    ...(Object.keys(secret).length > 0 ? {optionsFrom: [{secretRef: {name: optionsSecretName(record.name)}}]} : {}),
    ...(record.keyStyle ? {keyStyle: record.keyStyle} : {}),
  }
}

/** `Pre-Creating` → `PreCreating`: condition reasons are CamelCase words. */
function reasonOf(status: Status): string {
  return status.replace(/-/g, '')
}

function condition(type: Condition['type'], isTrue: boolean, reason: string, message: string, before: Condition[] | undefined, now: string): Condition {
  const status = isTrue ? 'True' : 'False'
  const previous = before?.find((c) => c.type === type)
  const lastTransitionTime = previous && previous.status === status ? previous.lastTransitionTime : now
  return {type, status, reason, message, lastTransitionTime}
}

/** The status the record stands for; conditions keep their transition time while they hold. */
export function toStatus(record: ClusterRecord, before: ClusterStatus | undefined, generation: number | undefined): ClusterStatus {
  const now = record.updatedAt
  const info = record.info
  const provisioned = Boolean(info?.endpoint) && isProvisioned(record.status)
  const message = record.reason ?? ''
  return {
    phase: record.status,
    conditions: [
      condition('Provisioned', provisioned, provisioned ? 'EndpointKnown' : reasonOf(record.status), provisioned ? '' : message, before?.conditions, now),
      condition('Ready', record.status === 'Running', reasonOf(record.status), message, before?.conditions, now),
    ],
    ...(generation !== undefined ? {observedGeneration: generation} : {}),
    ...(info?.endpoint ? {endpoint: info.endpoint} : {}),
    ...(info?.version ? {version: info.version} : {}),
    ...(info ? {nodeCount: Math.max(0, Math.trunc(info.nodeCount || 0))} : {}),
    ...(info?.status ? {driverStatus: info.status} : {}),
    ...(record.reason !== undefined ? {lastError: lastErrorOf(record)} : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    history: record.history.slice(-HISTORY_LIMIT),
  }
}

export function toClusterObject(record: ClusterRecord, meta: Partial<ObjectMeta> = {}, fromSecrets?: ReadonlySet<string>): ClusterObject {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      ...meta,
      name: record.name,
      labels: {...meta.labels, ...MANAGED_BY},
      annotations: {...meta.annotations, [SCHEMA_ANNOTATION]: String(record.schemaVersion)},
    },
    spec: toSpec(record, fromSecrets),
  }
}

function unreadable(name: string, reason: string): KeError {
  return new KeError('STATE_UNREADABLE', `state of ${name} is unreadable: ${reason}`, {
    cluster: name,
    hint: `run \`ke rm -f ${name}\` to drop it (cloud resources it made may remain)`,
  })
}

function timestamp(value: string | Date | undefined): string {
  if (value instanceof Date) return value.toISOString()
  return value ?? new Date(0).toISOString()
}

/** What the Cluster object alone says (no Secret read): enough for `ke ls`. Throws STATE_UNREADABLE. */
function readVisible(object: ClusterObject): Omit<ClusterRecord, 'info'> {
  const {name} = object.metadata
  const schema = Number(object.metadata.annotations?.[SCHEMA_ANNOTATION] ?? SCHEMA_VERSION)
  if (!Number.isInteger(schema)) throw unreadable(name, `annotation ${SCHEMA_ANNOTATION} is not a number`)
  if (schema > SCHEMA_VERSION) {
    throw new KeError('STATE_FROM_NEWER_KE', `state of ${name} was written by a newer ke (schema ${schema}, this ke reads ${SCHEMA_VERSION})`, {
      cluster: name,
      hint: 'upgrade ke to manage this cluster',
    })
  }
  const status = object.status ?? {}
  // a Cluster applied with kubectl has no status yet: ke has not started on it
  const phase = status.phase ?? 'Init'
  if (!isStatus(phase)) throw unreadable(name, `unknown phase ${JSON.stringify(phase)}`)
  const driver = object.spec?.driver
  if (!driver?.name) throw unreadable(name, 'spec.driver.name is empty')
  const created = status.createdAt ?? timestamp(object.metadata.creationTimestamp)
  return {
    schemaVersion: schema,
    name,
    driver: {ref: driver.name, display: driver.display ?? driver.name, ...(driver.attached ? {attached: driver.attached} : {})},
    status: phase,
    ...(object.spec.displayName !== undefined ? {displayName: object.spec.displayName} : {}),
    ...(status.lastError !== undefined ? splitLastError(status.lastError) : {}),
    createdAt: created,
    updatedAt: status.updatedAt ?? created,
    options: {...object.spec.options},
    ...(object.spec.keyStyle ? {keyStyle: object.spec.keyStyle} : {}),
    history: status.history ?? [],
  }
}

/** The whole record: the Cluster, the ClusterInfo from its Secret, and secret option values. */
export function fromClusterObject(object: ClusterObject, info: ClusterInfo | undefined, secretOptions: Record<string, string>): ClusterRecord {
  const visible = readVisible(object)
  return {...visible, options: {...visible.options, ...secretOptions}, ...(info ? {info} : {})}
}

export function toSummary(object: ClusterObject): ClusterSummary {
  const {name, driver, status, reason} = readVisible(object)
  const {endpoint, version, nodeCount} = object.status ?? {}
  const hasInfo = endpoint !== undefined || version !== undefined || nodeCount !== undefined
  return {
    name,
    driver,
    status,
    ...(reason !== undefined ? {reason} : {}),
    ...(hasInfo ? {info: {endpoint: endpoint ?? '', version: version ?? '', nodeCount: nodeCount ?? 0}} : {}),
  }
}

/** The ClusterInfo as its Secret holds it (one JSON document: metadata and all, never interpreted). */
export function parseInfo(name: string, text: string | undefined): ClusterInfo | undefined {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as ClusterInfo
  } catch (error) {
    throw unreadable(name, `Secret ${infoSecretName(name)} does not hold JSON (${(error as Error).message})`)
  }
}

// The cluster lifecycle as runbooks. Status is saved before each step, so a crash or kill leaves an
// honest record; whatever the driver returned is saved even when the step fails.
import {KeError} from '../errors.js'
import type {ClusterDriver, ClusterInfo, DriverOptions} from '../driver/types.js'
import type {OptionValue} from '../driver/options.js'
import {withoutSecrets, type KeyStyle} from '../driver/option-values.js'
import type {ClusterRecord, DriverReference} from '../store/cluster-record.js'
import type {LifecycleDeps} from './deps.js'
import {withHostNames, withRetryMetadata, withUpdateMetadata} from './request-options.js'
import {canMove, isResumable, type Status} from './status.js'

export interface CreateRequest {
  name: string
  displayName?: string
  driver: DriverReference
  options: DriverOptions
  storedOptions: Record<string, OptionValue>
  keyStyle: KeyStyle
}

function now(): string {
  return new Date().toISOString()
}

function reasonOf(error: unknown): string {
  if (error instanceof KeError && error.keCode === 'CANCELLED') return 'interrupted'
  return error instanceof Error ? error.message.split('\n')[0] : String(error)
}

/** Saves the cluster at `status`. Moves the table in status.ts does not allow are bugs in ke. */
function record(deps: LifecycleDeps, cluster: ClusterRecord, status: Status, changes: Partial<ClusterRecord> = {}): ClusterRecord {
  if (!canMove(cluster.status, status)) throw new Error(`internal: status ${cluster.status} -> ${status} is not allowed`)
  const reason = status === 'Error' ? changes.reason : undefined
  const entry = {at: now(), status, command: deps.command, ...(reason ? {reason} : {})}
  return deps.store.save({...cluster, ...changes, status, reason, history: [...cluster.history, entry]})
}

/** Runs one driver call under a status: progress line, call, and the error saved if it fails. */
async function step<T>(deps: LifecycleDeps, cluster: ClusterRecord, status: Status, call: () => Promise<T>): Promise<[ClusterRecord, T]> {
  const saved = record(deps, cluster, status)
  deps.progress.stage(status)
  try {
    return [saved, await call()]
  } catch (error) {
    record(deps, saved, 'Error', {reason: deps.redactor.redact(reasonOf(error))})
    throw error
  }
}

function rememberSecrets(deps: LifecycleDeps, info: ClusterInfo | undefined): void {
  if (info) deps.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
}

/** A create that failed or was cut short; an update that failed is not retried by create. */
function isUnfinishedCreate(cluster: ClusterRecord): boolean {
  if (!isResumable(cluster.status)) return false
  const lastStart = [...cluster.history].reverse().find((entry) => entry.status === 'Pre-Creating' || entry.status === 'Updating')
  return lastStart?.status !== 'Updating'
}

/** A new record at Init, or the stored one when retrying a create that failed or was interrupted. */
export function beginCreate(deps: LifecycleDeps, req: CreateRequest): ClusterRecord {
  if (deps.store.exists(req.name)) {
    const existing = deps.store.load(req.name)
    if (!isUnfinishedCreate(existing)) {
      throw new KeError('CLUSTER_EXISTS', `cluster ${req.name} already exists (${existing.status})`, {
        cluster: req.name,
        hint: `use \`ke update ${req.name}\` to change it, or \`ke rm ${req.name}\` first`,
      })
    }
    const resumed = existing.status === 'Error' ? existing : record(deps, existing, 'Error', {reason: 'interrupted'})
    return {...resumed, driver: req.driver, options: req.storedOptions, keyStyle: req.keyStyle, displayName: req.displayName ?? resumed.displayName}
  }
  const created = now()
  return deps.store.save({
    schemaVersion: 1,
    name: req.name,
    driver: req.driver,
    status: 'Init',
    createdAt: created,
    updatedAt: created,
    options: req.storedOptions,
    keyStyle: req.keyStyle,
    ...(req.displayName ? {displayName: req.displayName} : {}),
    history: [{at: created, status: 'Init', command: deps.command}],
  })
}

/** Create -> PostCheck -> Running. The driver is the caller's to stop. */
export async function createCluster(deps: LifecycleDeps, driver: ClusterDriver, cluster: ClusterRecord, req: CreateRequest): Promise<ClusterRecord> {
  const retrying = cluster.info !== undefined
  let options = withHostNames(req.options, req.name, req.displayName ?? cluster.displayName ?? req.name)
  if (retrying) options = withRetryMetadata(options, cluster.info!.metadata)
  rememberSecrets(deps, cluster.info)

  let current = record(deps, cluster, 'Pre-Creating')
  deps.progress.stage('Pre-Creating')
  let info: ClusterInfo
  ;[current, info] = await step(deps, current, 'Creating', () => driver.create(options, cluster.info))
  rememberSecrets(deps, info)
  if (info.createError) {
    // a driver's message may quote a secret it was given: the record keeps it redacted
    record(deps, current, 'Error', {info: {...info, createError: deps.redactor.redact(info.createError)}, reason: deps.redactor.redact(info.createError)})
    throw new KeError('CREATE_FAILED', `driver ${driver.name} failed Create: ${info.createError}`, {
      cluster: req.name,
      driver: driver.name,
      hint: `the driver made resources before failing: \`ke create ${req.name}\` retries with them, \`ke rm ${req.name}\` removes them; driver log: \`ke logs ${req.name}\``,
    })
  }
  current = deps.store.save({...current, info})
  ;[current, info] = await step(deps, current, 'Post-Checking', () => driver.postCheck(info))
  rememberSecrets(deps, info)
  return record(deps, current, 'Running', {info})
}

export interface UpdateRequest {
  options: DriverOptions
  storedOptions: Record<string, OptionValue>
}

/** Update -> PostCheck -> Running, on a cluster that was created. */
export async function updateCluster(deps: LifecycleDeps, driver: ClusterDriver, cluster: ClusterRecord, req: UpdateRequest): Promise<ClusterRecord> {
  const info = requireInfo(cluster, 'update')
  rememberSecrets(deps, info)
  const options = withUpdateMetadata(withHostNames(req.options, cluster.name, cluster.displayName ?? cluster.name), info.metadata)
  let [current, updated] = await step(deps, cluster, 'Updating', () => driver.update(options, info))
  rememberSecrets(deps, updated)
  current = deps.store.save({...current, info: updated, options: withoutSecrets({...current.options, ...req.storedOptions})})
  let checked: ClusterInfo
  ;[current, checked] = await step(deps, current, 'Post-Checking', () => driver.postCheck(updated))
  rememberSecrets(deps, checked)
  return record(deps, current, 'Running', {info: checked})
}

export function requireInfo(cluster: ClusterRecord, action: string): ClusterInfo {
  if (!cluster.info) {
    throw new KeError('CLUSTER_INCOMPLETE', `cluster ${cluster.name} has no driver state to ${action}: its create never returned (${cluster.status})`, {
      cluster: cluster.name,
      hint: `retry with \`ke create ${cluster.name}\`, or drop it with \`ke rm ${cluster.name}\``,
    })
  }
  return cluster.info
}

/** Saves new info from a driver call (version, size, restore), never replacing it with nothing. */
export function saveInfo(deps: LifecycleDeps, cluster: ClusterRecord, info: ClusterInfo | undefined): ClusterRecord {
  if (!info) return cluster
  rememberSecrets(deps, info)
  return deps.store.save({...cluster, info})
}

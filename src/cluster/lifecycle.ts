// The cluster lifecycle as runbooks. Status is saved before each step, so a crash or kill leaves an
// honest record; whatever the driver returned is saved even when the step fails.
import {KeError, withDriverLogTail} from '../errors.js'
import type {ClusterDriver, ClusterInfo, DriverOptions} from '../protocol/types.js'
import type {OptionValue} from '../driver/options/options.js'
import {withoutSecrets, type KeyStyle} from '../driver/options/option-values.js'
import type {ClusterRecord, DriverReference} from '../store/cluster-record.js'
import type {ClusterStore} from '../store/cluster-store.js'
import {exitCodeForSignal, isStopSignal} from '../driver/run/supervisor.js'
import type {LifecycleDeps} from './deps.js'
import {withHostNames, withRetryMetadata, withUpdateMetadata} from './request-options.js'
import {assertCreatable, assertMove, beingRemoved, isDeclared, type Status} from './status.js'

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

/**
 * Saves the cluster at `status`. Moves the table in status.ts does not allow are bugs in ke. An Error
 * keeps the driver log's last lines beside its reason, when the caller can tell them (deps.failureLog).
 */
async function record(deps: LifecycleDeps, cluster: ClusterRecord, status: Status, changes: Partial<ClusterRecord> = {}): Promise<ClusterRecord> {
  assertMove(cluster.status, status)
  const reason = status === 'Error' ? changes.reason : undefined
  const errorLog = status === 'Error' ? await failureLogOf(deps) : undefined
  const entry = {at: now(), status, command: deps.command, ...(reason ? {reason} : {})}
  const {errorLog: _previous, ...rest} = cluster
  return deps.store.save({...rest, ...changes, status, reason, ...(errorLog ? {errorLog} : {}), history: [...cluster.history, entry]})
}

/** The log's tail, or nothing: telling it must never hide the failure being recorded. */
async function failureLogOf(deps: LifecycleDeps): Promise<string | undefined> {
  try {
    return (await deps.failureLog?.()) || undefined
  } catch {
    return undefined
  }
}

/** An interruption that came between two driver calls: the next one is not started. */
function interruptedBefore(deps: LifecycleDeps, status: Status, cluster: string): KeError {
  const reason = deps.signal?.reason
  const exit = isStopSignal(reason) ? exitCodeForSignal(reason) : undefined
  return new KeError('CANCELLED', `interrupted before ${status}`, {cluster, ...(exit ? {exit} : {})})
}

/** Runs one driver call under a status: saved first, then progress line, call, and the error saved if it fails. */
export async function step<T>(
  deps: LifecycleDeps,
  cluster: ClusterRecord,
  status: Status,
  call: () => Promise<T>,
  opts: {stage?: string; keptWhenRefused?: Status} = {},
): Promise<[ClusterRecord, T]> {
  const saved = await record(deps, cluster, status)
  deps.progress.stage(opts.stage ?? status)
  try {
    if (deps.signal?.aborted) throw interruptedBefore(deps, status, cluster.name)
    return [saved, await call()]
  } catch (error) {
    // a driver that refused the options changed nothing (gRPC INVALID_ARGUMENT: an SDK driver's
    // UsageError): where the caller names a status to keep then, the cluster is left as it was
    if (opts.keptWhenRefused && isOptionsRefusal(error)) await record(deps, saved, opts.keptWhenRefused)
    else await record(deps, saved, 'Error', {reason: deps.redactor.redact(reasonOf(error))})
    throw error
  }
}

function isOptionsRefusal(error: unknown): boolean {
  return error instanceof KeError && error.keCode === 'BAD_ARGUMENT'
}

function rememberSecrets(deps: LifecycleDeps, info: ClusterInfo | undefined): void {
  if (info) deps.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
}

/**
 * A new record at Init, or the stored one when retrying a create that failed or was interrupted. The
 * caller holds the cluster's lock, so an in-flight status found here was left by a ke that stopped.
 */
export async function beginCreate(deps: LifecycleDeps, req: CreateRequest): Promise<ClusterRecord> {
  if (await deps.store.exists(req.name)) {
    const existing = await deps.store.load(req.name)
    assertCreatable(existing)
    const resumed = existing.status === 'Error' || isDeclared(existing) ? existing : await record(deps, existing, 'Error', {reason: 'interrupted'})
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

  let current = await record(deps, cluster, 'Pre-Creating')
  deps.progress.stage('Pre-Creating')
  let info: ClusterInfo
  ;[current, info] = await step(deps, current, 'Creating', () => driver.create(options, cluster.info))
  rememberSecrets(deps, info)
  if (info.createError) {
    // a driver's message may quote a secret it was given: the record keeps it redacted
    const failed = await record(deps, current, 'Error', {info: {...info, createError: deps.redactor.redact(info.createError)}, reason: deps.redactor.redact(info.createError)})
    // the call itself succeeded: the driver's last lines follow here, as they do under a failed call's error
    throw new KeError('CREATE_FAILED', withDriverLogTail(`driver ${driver.name} failed Create: ${info.createError}`, failed.errorLog?.split('\n') ?? []), {
      cluster: req.name,
      driver: driver.name,
      hint: `the driver made resources before failing: \`ke create ${req.name}\` retries with them, \`ke rm ${req.name}\` removes them; driver log: \`ke logs ${req.name}\``,
    })
  }
  // the state Create returned is saved with Post-Checking, before the driver is asked anything else
  ;[current, info] = await step(deps, {...current, info}, 'Post-Checking', () => driver.postCheck(info))
  // first: a driver that stops now writes out its held log lines, redacted with what is known then
  rememberSecrets(deps, info)
  deps.driverDone?.()
  return record(deps, current, 'Running', {info})
}

/**
 * What the cluster's lock names as its holder (the busy message shows it): the CLI passes its command's
 * id (`create`), a long-running caller its own command line (`ke controller`), named with the operation.
 */
export function lockCommand(deps: Pick<LifecycleDeps, 'command'>, operation: string, name: string): string {
  return deps.command.startsWith('ke ') ? `${deps.command} (${operation} ${name})` : `ke ${operation} ${name}`
}

/**
 * The whole create under the cluster's lock: begin (new or retried record), then the runbook.
 * `onLocked` runs once the record exists (the command layer points the driver's log at the cluster).
 */
export async function createLocked(
  deps: LifecycleDeps,
  driver: ClusterDriver,
  req: CreateRequest,
  onLocked: () => void = () => {},
): Promise<{cluster: ClusterRecord; retried: boolean}> {
  const release = await deps.store.lock(req.name, lockCommand(deps, 'create', req.name))
  try {
    const cluster = await beginCreate(deps, req)
    onLocked()
    const created = await createCluster(deps, driver, cluster, req).catch(async (error: unknown) => {
      // the driver refused the options before making anything: a first attempt leaves no record
      if (isOptionsRefusal(error) && cluster.info === undefined && cluster.status === 'Init') await deps.store.delete(req.name)
      throw error
    })
    return {cluster: created, retried: cluster.info !== undefined}
  } finally {
    await release()
  }
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
  // a Running cluster whose driver refuses the new options stays Running: nothing was changed
  const keptWhenRefused = cluster.status === 'Running' ? 'Running' : undefined
  let [current, updated] = await step(deps, cluster, 'Updating', () => driver.update(options, info), {keptWhenRefused})
  rememberSecrets(deps, updated)
  current = await deps.store.save({...current, info: updated, options: withoutSecrets({...current.options, ...req.storedOptions})})
  let checked: ClusterInfo
  ;[current, checked] = await step(deps, current, 'Post-Checking', () => driver.postCheck(updated))
  rememberSecrets(deps, checked)
  deps.driverDone?.()
  return record(deps, current, 'Running', {info: checked})
}

/**
 * The record for a command that reads a cluster without taking its lock. One with no driver state yet
 * may be a create still running: then the cluster is busy, and its holder is named, rather than
 * incomplete (requireInfo), and no driver is started for it.
 */
export async function loadForReading(store: ClusterStore, name: string): Promise<ClusterRecord> {
  const cluster = await store.load(name)
  if (!cluster.info) await store.assertNotBusy(name)
  return cluster
}

export function requireInfo(cluster: ClusterRecord, action: string): ClusterInfo {
  // an rm that stopped half-way: the cluster may be half gone, only rm goes on
  if (cluster.status === 'Removing') throw beingRemoved(cluster.name)
  if (!cluster.info) {
    throw new KeError('CLUSTER_INCOMPLETE', `cluster ${cluster.name} has no driver state to ${action}: its create never returned (${cluster.status})`, {
      cluster: cluster.name,
      hint: `retry with \`ke create ${cluster.name}\`, or drop it with \`ke rm ${cluster.name}\``,
    })
  }
  return cluster.info
}

/**
 * Saves new info from a driver call (version, size, restore), never replacing it with nothing. The
 * call succeeded: a reason an earlier such call left (the status is not Error) is gone.
 */
export async function saveInfo(deps: LifecycleDeps, cluster: ClusterRecord, info: ClusterInfo | undefined): Promise<ClusterRecord> {
  if (!info) return cluster
  rememberSecrets(deps, info)
  if (cluster.status === 'Error') return deps.store.save({...cluster, info})
  const {reason: _reason, errorLog: _log, ...rest} = cluster
  return deps.store.save({...rest, info})
}

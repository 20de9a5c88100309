// Create and Update of a Cluster object through the same runbooks as `ke create` / `ke update`
// (cluster/lifecycle.ts), under the cluster's Lease. A create that failed is retried from the stored
// ClusterInfo (beginCreate), so a retry never makes a second set of cloud resources.
import type {LifecycleDeps} from '../cluster/deps.js'
import type {SessionDriver} from '../cluster/flow.js'
import {createLocked, lockCommand, updateCluster} from '../cluster/lifecycle.js'
import {describeInfo, operationReport} from '../cluster/operation-report.js'
import {asStopped} from '../cluster/status.js'
import {KeError} from '../errors.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import type {ClusterStore} from '../store/cluster-store.js'
import {createRequest, updateRequest, type DriverRequest, type SpecValues} from './spec-options.js'
import type {WatchedCluster} from './reconcile-decision.js'
import {reconcileProgress, type ReconcileDeps} from './reconcile-deps.js'
import {asInvalidSpec, InvalidSpec} from './reconcile-invalid.js'
import {withCondition} from './cluster-api.js'
import {CREATE_ONLY_CHANGED, CREATED_OPTIONS_ANNOTATION, createdOptionsOf, createOnlyMessage} from './create-only.js'

/** The lifecycle's dependencies for one reconcile. */
export function lifecycleDeps(deps: ReconcileDeps, store: ClusterStore, namespace: string, object: WatchedCluster): LifecycleDeps {
  return {
    store,
    progress: reconcileProgress(deps, namespace, {name: object.metadata.name, uid: object.metadata.uid}),
    redactor: deps.redactor,
    command: 'ke controller',
    signal: deps.stopping,
  }
}

/** spec.options and the values of the Secrets spec.optionsFrom names; a missing Secret is an invalid spec. */
export async function readSpecValues(deps: ReconcileDeps, namespace: string, object: WatchedCluster): Promise<SpecValues> {
  const secrets: Record<string, string> = {}
  for (const {secretRef} of object.spec.optionsFrom ?? []) {
    const data = await deps.objects.readSecret(namespace, secretRef.name)
    if (!data) {
      throw new InvalidSpec(
        'InvalidSpec',
        new KeError('BAD_CONFIG', `Secret ${secretRef.name} named in spec.optionsFrom does not exist in namespace ${namespace}`, {hint: `create it; the cluster is tried again when it appears`}),
      )
    }
    deps.redactor.add(...Object.values(data))
    Object.assign(secrets, data)
  }
  return {options: {...object.spec.options}, secrets}
}

/** Starts the driver and builds the request; what goes wrong here is the spec's fault (mostly). */
async function prepare(deps: ReconcileDeps, kind: 'create' | 'update', store: ClusterStore, namespace: string, object: WatchedCluster): Promise<{driver: SessionDriver; request: DriverRequest}> {
  const {name} = object.metadata
  const values = await readSpecValues(deps, namespace, object)
  let driver: SessionDriver | undefined
  try {
    driver = await deps.drivers.start(object.spec.driver, {cluster: name, logFile: store.logPath(name)})
    const label = `${namespace}/${name}`
    const created = createdOptionsOf(object.metadata.annotations)
    const request = kind === 'create' ? await createRequest(driver, object.spec, values, label) : await updateRequest(driver, object.spec, values, label, created)
    deps.redactor.add(...request.secrets)
    return {driver, request}
  } catch (error) {
    if (driver) await deps.drivers.stop(driver)
    throw asInvalidSpec(error)
  }
}

export async function createOrUpdate(deps: ReconcileDeps, kind: 'create' | 'update', namespace: string, object: WatchedCluster): Promise<void> {
  const store = await deps.storeFor(namespace)
  const {name} = object.metadata
  // another ke at work on it answers at once, before a driver starts
  await store.assertNotBusy(name)
  const {driver, request} = await prepare(deps, kind, store, namespace, object)
  // the outcome as the CLI tells it: Created/CreateFailed Events, the driver log's tail in lastError
  const base = lifecycleDeps(deps, store, namespace, object)
  const report = operationReport({...deps.session, ...base, command: kind}, name, () => driver)
  const ctx = {...base, failureLog: report.failureLog}
  try {
    // what the Create is sent, kept before it runs: a later spec is compared with it (create-only.ts)
    if (kind === 'create' && request.createOnly) await deps.objects.setAnnotation(namespace, name, CREATED_OPTIONS_ANNOTATION, JSON.stringify(request.createOnly))
    const cluster = kind === 'create' ? await create(ctx, driver, object, request) : await update(ctx, driver, store, name, request)
    await report.succeeded(`cluster ${name} is Running${describeInfo(cluster)}`)
    if (request.createOnlyChanged?.length) await reportCreateOnly(deps, namespace, object, request)
  } catch (error) {
    if (error instanceof KeError && error.keCode === 'CLUSTER_BUSY') throw error
    // the driver refused the options before making anything: the spec is at fault
    if (error instanceof KeError && error.keCode === 'BAD_ARGUMENT') throw new InvalidSpec('InvalidSpec', error)
    await report.failed(error, {writeRecord: false})
    throw error
  } finally {
    await deps.drivers.stop(driver)
  }
}

/** A Warning Event, then Ready's reason and message: the running cluster keeps what it was created with. */
async function reportCreateOnly(deps: ReconcileDeps, namespace: string, object: WatchedCluster, request: DriverRequest): Promise<void> {
  const {name, uid} = object.metadata
  const message = deps.redactor.redact(createOnlyMessage(request.createOnlyChanged!, object.spec.driver.name, request.updateSpecs ?? []))
  await deps.events.emit(namespace, {name, uid}, {type: 'Warning', reason: CREATE_ONLY_CHANGED, message})
  await deps.objects.patchStatus(namespace, name, (status) => ({...status, conditions: withCondition(status.conditions, 'Ready', true, CREATE_ONLY_CHANGED, message)}))
  deps.log.warn(message, {cluster: `${namespace}/${name}`, reason: CREATE_ONLY_CHANGED})
}

async function create(ctx: LifecycleDeps, driver: SessionDriver, object: WatchedCluster, request: DriverRequest): Promise<ClusterRecord> {
  const {name} = object.metadata
  const reference = {ref: object.spec.driver.name, display: object.spec.driver.display ?? object.spec.driver.name}
  const req = {name, displayName: object.spec.displayName, driver: reference, options: request.options, storedOptions: request.storedOptions, keyStyle: request.keyStyle}
  return (await createLocked(ctx, driver, req)).cluster
}

async function update(ctx: LifecycleDeps, driver: SessionDriver, store: ClusterStore, name: string, request: DriverRequest): Promise<ClusterRecord> {
  const release = await store.lock(name, lockCommand(ctx, 'update', name))
  try {
    // we hold the Lease: an in-flight status found now was left by a ke that stopped
    const cluster = asStopped(await store.load(name), false)
    return await updateCluster(ctx, driver, cluster, {options: request.options, storedOptions: request.storedOptions})
  } finally {
    await release()
  }
}

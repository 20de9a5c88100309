// A deleted Cluster object: the driver's Remove under the cluster's Lease, then our finalizer goes (the
// object with it; its Secrets are garbage-collected). A failing Remove keeps the finalizer and says why
// in Ready=False RemoveFailed; the skip-remove annotation lets an operator drop it without Remove.
import {silentProgress, type LifecycleDeps} from '../cluster/deps.js'
import type {SessionDriver} from '../cluster/flow.js'
import {operationReport} from '../cluster/operation-report.js'
import {lockCommand} from '../cluster/lifecycle.js'
import {removeCluster} from '../cluster/operations.js'
import {KeError} from '../errors.js'
import {withCondition} from './cluster-api.js'
import {SKIP_REMOVE_ANNOTATION, type WatchedCluster} from './reconcile-decision.js'
import {lifecycleDeps} from './reconcile-create.js'
import type {ReconcileDeps} from './reconcile-deps.js'

export async function skipRemove(deps: ReconcileDeps, namespace: string, cluster: {name: string; uid?: string}): Promise<void> {
  const message = `${SKIP_REMOVE_ANNOTATION} is "true": the finalizer was dropped without the driver's Remove; cloud resources of ${cluster.name} may remain`
  await deps.events.emit(namespace, cluster, {type: 'Warning', reason: 'RemoveSkipped', message})
  deps.log.warn(message, {cluster: `${namespace}/${cluster.name}`})
  await deps.objects.setFinalizer(namespace, cluster.name, false)
}

export async function removeOrFail(deps: ReconcileDeps, namespace: string, object: WatchedCluster): Promise<void> {
  const cluster = {name: object.metadata.name, uid: object.metadata.uid}
  try {
    await remove(deps, namespace, object)
  } catch (error) {
    if (error instanceof KeError && (error.keCode === 'CLUSTER_BUSY' || error.keCode === 'CANCELLED')) throw error
    const message = deps.redactor.redact(error instanceof Error ? error.message.split('\n')[0] : String(error))
    // the Event first: whoever sees the condition finds the Event too
    await deps.events.emit(namespace, cluster, {
      type: 'Warning',
      reason: 'RemoveFailed',
      message: `${message}; retried with back-off; annotate ${SKIP_REMOVE_ANNOTATION}="true" to drop the object without Remove (cloud resources may remain)`,
    })
    await deps.objects.patchStatus(namespace, cluster.name, (status) => ({
      ...status,
      conditions: withCondition(status.conditions, 'Ready', false, 'RemoveFailed', message),
      lastError: message,
    }))
    throw error
  }
}

async function remove(deps: ReconcileDeps, namespace: string, object: WatchedCluster): Promise<void> {
  const store = await deps.storeFor(namespace)
  const {name} = object.metadata
  const base = lifecycleDeps(deps, store, namespace, object)
  const release = await store.lock(name, lockCommand(base, 'rm', name))
  try {
    const record = await store.load(name)
    const info = record.info
    if (info) deps.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
    const ctx: LifecycleDeps = {...base, ...(info ? {} : {progress: silentProgress})}
    // a create that never returned made nothing ke knows of: there is nothing to Remove
    let driver: SessionDriver | undefined
    const report = operationReport({...deps.session, ...ctx, command: 'rm'}, name, () => driver)
    if (info) driver = await deps.drivers.start(object.spec.driver, {cluster: name, logFile: store.logPath(name)})
    try {
      await removeCluster({...ctx, failureLog: report.failureLog}, driver, record, false)
    } finally {
      if (driver) await deps.drivers.stop(driver)
    }
    await deps.objects.setFinalizer(namespace, name, false)
    await report.succeeded(info ? `cluster ${name} was removed` : `cluster ${name} had made nothing to remove`)
  } finally {
    await release()
  }
}

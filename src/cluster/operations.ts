// Cluster operations beside create and update: remove, version, size, etcd, capabilities.
import {KeError} from '../errors.js'
import {CAPABILITY_ACTIONS} from '../protocol/capabilities.js'
import type {Capabilities, Capability, ClusterDriver, DriverOptions, K8sCapabilities} from '../protocol/types.js'
import {emptyDriverOptions} from '../protocol/types.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import type {LifecycleDeps} from './deps.js'
import {requireInfo, saveInfo, step} from './lifecycle.js'

/** Fails unless the driver claims the capability: calling anyway would hit an unimplemented method. */
export async function requireCapability(driver: ClusterDriver, capability: Capability): Promise<void> {
  const caps = await driver.getCapabilities()
  if (!caps[capability]) {
    throw new KeError('DRIVER_UNSUPPORTED', `driver ${driver.name} does not support ${CAPABILITY_ACTIONS[capability]}`, {
      driver: driver.name,
      hint: 'its GetCapabilities does not claim it; see `ke capabilities NAME`',
    })
  }
}

export interface RemoveOutcome {
  name: string
  driverRemoved: boolean
  /** Set when --force dropped the state although the driver failed. */
  warning?: string
  /** The shared kubeconfig ($KE_HOME/kubeconfig) whose current context was this cluster: it has none now. */
  clearedCurrentContext?: string
}

/**
 * Driver Remove under status Removing (saved first: `ke ls` shows it meanwhile, and a ke killed during
 * it leaves Removing, which the next `ke rm` retries), then the record. A failed Remove leaves Error
 * with the reason; with `force`, a failing driver does not keep the record.
 */
export async function removeCluster(
  deps: LifecycleDeps,
  driver: ClusterDriver | undefined,
  cluster: ClusterRecord,
  force: boolean,
): Promise<RemoveOutcome> {
  let driverRemoved = false
  let warning: string | undefined
  if (cluster.info && driver) {
    const info = cluster.info
    try {
      await step(deps, cluster, 'Removing', () => driver.remove(info), {stage: `Removing ${cluster.name}`})
      deps.driverDone?.()
      driverRemoved = true
    } catch (error) {
      if (!force) throw withForceHint(error, cluster.name)
      warning = `driver failed Remove (${(error as Error).message.split('\n')[0]}); local state of ${cluster.name} dropped, cloud resources may remain`
    }
  } else if (cluster.info && force) {
    warning = `driver not run; local state of ${cluster.name} dropped, cloud resources may remain`
  } else if (!cluster.info && createWasCutShort(cluster)) {
    warning = `the create of ${cluster.name} ended before its driver returned the cluster's state, so its Remove could not be called: cloud resources it made, if any, may remain`
  }
  await deps.store.delete(cluster.name)
  return {name: cluster.name, driverRemoved, warning}
}

/** Whether the driver's Create ran without giving its ClusterInfo back (interrupted, or failed without it). */
function createWasCutShort(cluster: ClusterRecord): boolean {
  return cluster.history.some((entry) => entry.status === 'Creating')
}

/** A failed Remove keeps the record; the way out, at the user's risk, is `ke rm -f`. */
function withForceHint(error: unknown, name: string): unknown {
  if (!(error instanceof KeError)) return error
  const force = `\`ke rm -f ${name}\` drops only the local record (cloud resources may remain)`
  return new KeError(error.keCode, error.message, {cluster: name, driver: error.driver, hint: error.hint ? `${error.hint}; ${force}` : force, cause: error})
}

export async function getVersion(driver: ClusterDriver, cluster: ClusterRecord): Promise<string> {
  await requireCapability(driver, 'getVersion')
  return driver.getVersion(requireInfo(cluster, 'read the version of'))
}

export async function setVersion(deps: LifecycleDeps, driver: ClusterDriver, cluster: ClusterRecord, version: string): Promise<ClusterRecord> {
  await requireCapability(driver, 'setVersion')
  const info = requireInfo(cluster, 'set the version of')
  deps.progress.stage(`Setting version ${version}`)
  const changed = await driver.setVersion(info, version)
  return saveInfo(deps, cluster, {...(changed ?? info), version})
}

export async function getNodeCount(driver: ClusterDriver, cluster: ClusterRecord): Promise<number> {
  await requireCapability(driver, 'getClusterSize')
  return driver.getNodeCount(requireInfo(cluster, 'read the size of'))
}

export async function setNodeCount(deps: LifecycleDeps, driver: ClusterDriver, cluster: ClusterRecord, count: number): Promise<ClusterRecord> {
  await requireCapability(driver, 'setClusterSize')
  const info = requireInfo(cluster, 'resize')
  deps.progress.stage(`Setting node count ${count}`)
  const changed = await driver.setNodeCount(info, count)
  return saveInfo(deps, cluster, {...(changed ?? info), nodeCount: count})
}

export type EtcdAction = 'save' | 'restore' | 'remove'

/** etcd snapshot calls. Options are empty maps: drivers read only the snapshot name and their state. */
export async function etcdSnapshot(
  deps: LifecycleDeps,
  driver: ClusterDriver,
  cluster: ClusterRecord,
  action: EtcdAction,
  snapshot: string,
  options: DriverOptions = emptyDriverOptions(),
): Promise<ClusterRecord> {
  await requireCapability(driver, 'etcdBackup')
  const info = requireInfo(cluster, `${action} snapshots of`)
  deps.progress.stage(`etcd ${action} ${snapshot}`)
  if (action === 'save') await driver.etcdSave(info, options, snapshot)
  else if (action === 'remove') await driver.etcdRemoveSnapshot(info, options, snapshot)
  else return saveInfo(deps, cluster, await driver.etcdRestore(info, options, snapshot))
  return cluster
}

export interface CapabilitiesReport {
  capabilities: Capabilities
  k8s: K8sCapabilities
}

export async function readCapabilities(driver: ClusterDriver): Promise<CapabilitiesReport> {
  const capabilities = await driver.getCapabilities()
  const k8s = await driver.getK8sCapabilities(emptyDriverOptions())
  return {capabilities, k8s}
}

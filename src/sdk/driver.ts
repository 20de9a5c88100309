import type {Capabilities, ClusterInfo, DriverFlags, K8sCapabilities} from '../protocol/types.js'
import type {Options} from './options.js'

/**
 * What a driver author implements. serveDriver() turns it into the gRPC service hosts call.
 * Optional methods behave as the protocol expects when left out: GetVersion / GetNodeCount answer
 * UNIMPLEMENTED, SetVersion / SetNodeCount / RemoveLegacyServiceAccount do nothing, the ETCD methods
 * answer UNIMPLEMENTED. Capabilities default to the methods present.
 * A thrown Error reaches the host as gRPC UNKNOWN carrying its message.
 */
export interface Driver {
  /** Options a new cluster takes. Called before every create; keep it cheap and constant. */
  getDriverCreateOptions(): DriverFlags | Promise<DriverFlags>
  /** Options an existing cluster can change. */
  getDriverUpdateOptions?(): DriverFlags | Promise<DriverFlags>
  /** Defaults to what the driver implements. */
  getCapabilities?(): Partial<Capabilities> | Promise<Partial<Capabilities>>
  /**
   * Makes the cluster. Info first, as in every method: `info` is undefined on a first create and holds
   * the stored info when the host retries one that failed. Throw CreateFailedError when failing after
   * resources exist. Long-running (tens of minutes is normal); hosts set no deadline.
   * Changed in 0.1.0: it was `create(options, info)`.
   */
  create(info: ClusterInfo | undefined, options: Options): Promise<ClusterInfo>
  /**
   * Changes the cluster to the options given (declare them in getDriverUpdateOptions); options not
   * given keep their value. Left out, Update answers UNIMPLEMENTED.
   */
  update?(info: ClusterInfo, options: Options): Promise<ClusterInfo>
  /** Called after create and update: return info whose serviceAccountToken can manage the cluster. */
  postCheck(info: ClusterInfo): Promise<ClusterInfo>
  /** Deletes everything the cluster owns. Should succeed when it is already gone. */
  remove(info: ClusterInfo): Promise<void>
  getVersion?(info: ClusterInfo): Promise<string>
  /**
   * Return the changed info (e.g. `saveState(info, newState)`) to have ke store it; returning nothing
   * leaves the stored info as it was. Rancher ignores the returned info (its reply is `Empty`), so
   * getVersion should ask the provider rather than trust the state alone.
   */
  setVersion?(info: ClusterInfo, version: string): Promise<ClusterInfo | void>
  getNodeCount?(info: ClusterInfo): Promise<number>
  /** Like setVersion: return the changed info to have ke store it. */
  setNodeCount?(info: ClusterInfo, count: number): Promise<ClusterInfo | void>
  etcdSave?(info: ClusterInfo, options: Options, snapshotName: string): Promise<void>
  /** Returns the cluster's info after the restore. */
  etcdRestore?(info: ClusterInfo, options: Options, snapshotName: string): Promise<ClusterInfo>
  etcdRemoveSnapshot?(info: ClusterInfo, options: Options, snapshotName: string): Promise<void>
  getK8sCapabilities?(options: Options): Promise<K8sCapabilities>
  removeLegacyServiceAccount?(info: ClusterInfo): Promise<void>
}

export function capabilitiesOf(driver: Driver): Capabilities {
  return {
    getVersion: typeof driver.getVersion === 'function',
    setVersion: typeof driver.setVersion === 'function',
    getClusterSize: typeof driver.getNodeCount === 'function',
    setClusterSize: typeof driver.setNodeCount === 'function',
    etcdBackup: typeof driver.etcdSave === 'function' && typeof driver.etcdRestore === 'function',
  }
}

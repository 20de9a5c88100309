// The driver as the rest of ke sees it: camelCase shapes, plain numbers. Proto shapes
// (snake_case, int64 as strings) are converted only in driver/rpc/client.ts and sdk/server.ts.

export type FlagType = 'string' | 'bool' | 'boolPtr' | 'int' | 'intPtr' | 'stringSlice'
export const FLAG_TYPES: readonly FlagType[] = ['string', 'bool', 'boolPtr', 'int', 'intPtr', 'stringSlice']

export interface FlagDefault {
  defaultBool: boolean
  defaultString: string
  defaultStringSlice: string[]
  defaultInt: number
}

/** One option a driver declares (proto `Flag`). `type` is kept as a string: drivers may send anything. */
export interface DriverFlag {
  type: string
  usage: string
  /** Older drivers declare their default here, as a string whatever the type. */
  value: string
  /** Present only when the driver set the `default` message at all. */
  default?: FlagDefault
  password: boolean
}

export type DriverFlags = Record<string, DriverFlag>

/** One option value as ke stores and sends it (a record's `options`, a --config value). */
export type OptionValue = string | number | boolean | string[]

/** How option keys are sent: as the driver declares them, as camelCase, or both. */
export type KeyStyle = 'both' | 'declared' | 'camel'
export const KEY_STYLES: readonly KeyStyle[] = ['both', 'declared', 'camel']

/** What a driver receives as options (proto `DriverOptions`). */
export interface DriverOptions {
  boolOptions: Record<string, boolean>
  stringOptions: Record<string, string>
  intOptions: Record<string, number>
  stringSliceOptions: Record<string, string[]>
}

export function emptyDriverOptions(): DriverOptions {
  return {boolOptions: {}, stringOptions: {}, intOptions: {}, stringSliceOptions: {}}
}

/** The driver's description of a cluster (proto `ClusterInfo`); stored verbatim by ke. */
export interface ClusterInfo {
  version: string
  serviceAccountToken: string
  endpoint: string
  username: string
  password: string
  /** base64 */
  rootCaCertificate: string
  /** base64 */
  clientCertificate: string
  /** base64 */
  clientKey: string
  nodeCount: number
  metadata: Record<string, string>
  status: string
  createError: string
}

export function emptyClusterInfo(): ClusterInfo {
  return {
    version: '',
    serviceAccountToken: '',
    endpoint: '',
    username: '',
    password: '',
    rootCaCertificate: '',
    clientCertificate: '',
    clientKey: '',
    nodeCount: 0,
    metadata: {},
    status: '',
    createError: '',
  }
}

/** True when the info carries nothing: an old driver's ETCDRestore reply that must not replace stored info. */
export function isEmptyClusterInfo(info: ClusterInfo): boolean {
  const empty = emptyClusterInfo()
  return (Object.keys(empty) as Array<keyof ClusterInfo>).every((key) =>
    key === 'metadata' ? Object.keys(info.metadata).length === 0 : info[key] === empty[key],
  )
}

/** Capabilities by name. The wire numbers live only in protocol/capabilities.ts. */
export type Capability = 'getVersion' | 'setVersion' | 'getClusterSize' | 'setClusterSize' | 'etcdBackup'
export type Capabilities = Record<Capability, boolean>

export interface K8sCapabilities {
  l4LoadBalancer?: {enabled: boolean; provider: string; protocolsSupported: string[]; healthCheckSupported: boolean}
  ingressControllers: Array<{ingressProvider: string; customDefaultBackend: boolean}>
  nodePoolScalingSupported: boolean
  nodePortRange: string
}

export type DriverMethod =
  | 'Create'
  | 'Update'
  | 'PostCheck'
  | 'Remove'
  | 'GetDriverCreateOptions'
  | 'GetDriverUpdateOptions'
  | 'GetVersion'
  | 'SetVersion'
  | 'GetNodeCount'
  | 'SetNodeCount'
  | 'GetCapabilities'
  | 'ETCDSave'
  | 'ETCDRestore'
  | 'ETCDRemoveSnapshot'
  | 'GetK8sCapabilities'
  | 'RemoveLegacyServiceAccount'

/**
 * A running driver, as the lifecycle uses it. Every method is one gRPC call; failures throw KeError
 * (mapped in driver/rpc/grpc-errors.ts). Long calls (create, update, remove) have no deadline unless the
 * user set `--timeout`; quick calls have one.
 */
export interface ClusterDriver {
  /** Display name of the driver (`sample`, `./kontainer-engine-driver-lke`). */
  readonly name: string
  getCreateOptions(): Promise<DriverFlags>
  getUpdateOptions(): Promise<DriverFlags>
  /** May resolve with info whose `createError` is set: the driver failed after making resources. */
  create(options: DriverOptions, info: ClusterInfo | undefined): Promise<ClusterInfo>
  update(options: DriverOptions, info: ClusterInfo): Promise<ClusterInfo>
  postCheck(info: ClusterInfo): Promise<ClusterInfo>
  remove(info: ClusterInfo): Promise<void>
  getVersion(info: ClusterInfo): Promise<string>
  /** Resolves with the changed info when the driver answers with one (SDK drivers may), else undefined. */
  setVersion(info: ClusterInfo, version: string): Promise<ClusterInfo | undefined>
  getNodeCount(info: ClusterInfo): Promise<number>
  /** Resolves with the changed info when the driver answers with one (SDK drivers may), else undefined. */
  setNodeCount(info: ClusterInfo, count: number): Promise<ClusterInfo | undefined>
  getCapabilities(): Promise<Capabilities>
  getK8sCapabilities(options: DriverOptions): Promise<K8sCapabilities>
  etcdSave(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<void>
  /** Resolves with the driver's reply; an old driver's empty reply comes back as undefined. */
  etcdRestore(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<ClusterInfo | undefined>
  etcdRemoveSnapshot(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<void>
  removeLegacyServiceAccount(info: ClusterInfo): Promise<void>
  /** Stops the driver process (or just closes the channel for an attached driver). Idempotent. */
  stop(): Promise<void>
}

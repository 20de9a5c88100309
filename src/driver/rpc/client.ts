// The gRPC client behind the ClusterDriver interface. Each method is one call to /types.Driver/<Method>.
import type * as Grpc from '@grpc/grpc-js'
import {KeError} from '../../errors.js'
import {fromWireCapabilities} from '../../protocol/capabilities.js'
import {grpcFailureToKeError, type GrpcFailure} from './grpc-errors.js'
import type {RunningDriver} from '../run/launch.js'
import {loadDriverClient} from './proto-client.js'
import {DRIVER_SECRET_METADATA} from '../../protocol/secret.js'
import type {GrpcClientApi} from '../../protocol/grpc-modules.js'
import {
  isEmptyClusterInfo,
  type Capabilities,
  type ClusterDriver,
  type ClusterInfo,
  type DriverFlags,
  type DriverMethod,
  type DriverOptions,
  type K8sCapabilities,
} from '../../protocol/types.js'
import {fromWireFlags, fromWireInfo, fromWireK8sCapabilities, toWireInfo, toWireOptions, type WireClusterInfo} from '../../protocol/wire.js'

/** Quick calls (options, capabilities, get/set) get a deadline; long ones only when the user asks. */
export const QUICK_CALL_TIMEOUT_MS = 60_000

export interface ClientOptions {
  cluster?: string
  /** Deadline for Create, Update, Remove and etcd calls; none by default (real creates take 30 min). */
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
  /** Aborted by the supervisor on SIGINT/SIGTERM/SIGHUP: cancels the call under way. */
  signal?: AbortSignal
  interruptedBy?: () => 'SIGINT' | 'SIGTERM' | 'SIGHUP' | undefined
}

type Unary = (request: unknown, metadata: Grpc.Metadata, options: Grpc.CallOptions, callback: (error: Grpc.ServiceError | null, reply?: any) => void) => Grpc.ClientUnaryCall

/** A reply that may be `Empty` (most drivers) or a ClusterInfo (SDK drivers: proto.ts, withInfoReplies). */
function infoOrUndefined(reply: unknown): ClusterInfo | undefined {
  const info = fromWireInfo(reply as WireClusterInfo)
  return isEmptyClusterInfo(info) ? undefined : info
}

/**
 * grpc-js's target for a loopback `HOST:PORT` (a driver's is always an IP address): an `ipv4:` or
 * `ipv6:` target is resolved as it is, where a bare one makes grpc-js a DNS resolver and load `dns`.
 * ke's build gives its client no DNS resolver at all (protocol/grpc-modules.ts): there a bare target
 * would not even make a client.
 */
function ipTarget(address: string): string {
  return address.startsWith('[') ? `ipv6:${address}` : `ipv4:${address}`
}

/**
 * A client of types.Driver at `address`, which dials on its first call: made while the driver boots,
 * it is ready when the driver listens. Make no call on it before the driver accepts TCP: a channel
 * dialled earlier sits in reconnect back-off.
 */
export async function driverClientFor(address: string): Promise<Grpc.Client> {
  const {grpc, Driver} = await loadDriverClient()
  return new Driver(ipTarget(address), grpc.credentials.createInsecure(), {
    // a driver is on loopback: grpc-js would otherwise send its calls (the secret, the options) in the
    // clear through an http_proxy/https_proxy/grpc_proxy that no_proxy does not exempt 127.0.0.1 from
    // (and, in ke's build, which has no DNS resolver to reach the proxy by, fail to make the client)
    'grpc.enable_http_proxy': 0,
    'grpc.initial_reconnect_backoff_ms': 5,
    'grpc.max_reconnect_backoff_ms': 200,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  })
}

export class GrpcClusterDriver implements ClusterDriver {
  private stopping: Promise<void> | undefined

  private constructor(
    private readonly process: RunningDriver,
    private readonly client: Grpc.Client,
    private readonly grpc: GrpcClientApi,
    private readonly opts: ClientOptions,
  ) {}

  /** `client`: one driverClientFor(process.address) made before; dialled now, on the first call. */
  static async connect(process: RunningDriver, opts: ClientOptions = {}, client?: Grpc.Client): Promise<GrpcClusterDriver> {
    const {grpc} = await loadDriverClient()
    return new GrpcClusterDriver(process, client ?? (await driverClientFor(process.address)), grpc, opts)
  }

  get name(): string {
    return this.process.display
  }

  get running(): RunningDriver {
    return this.process
  }

  async getCreateOptions(): Promise<DriverFlags> {
    const reply = await this.call('GetDriverCreateOptions', {}, 'quick')
    return fromWireFlags(reply?.options)
  }

  async getUpdateOptions(): Promise<DriverFlags> {
    const reply = await this.call('GetDriverUpdateOptions', {}, 'quick')
    return fromWireFlags(reply?.options)
  }

  async create(options: DriverOptions, info: ClusterInfo | undefined): Promise<ClusterInfo> {
    const reply = await this.call('Create', {driver_options: toWireOptions(options), cluster_info: toWireInfo(info)}, 'long')
    return fromWireInfo(reply)
  }

  async update(options: DriverOptions, info: ClusterInfo): Promise<ClusterInfo> {
    const reply = await this.call('Update', {cluster_info: toWireInfo(info), driver_options: toWireOptions(options)}, 'long')
    return fromWireInfo(reply)
  }

  async postCheck(info: ClusterInfo): Promise<ClusterInfo> {
    return fromWireInfo(await this.call('PostCheck', toWireInfo(info), 'long'))
  }

  async remove(info: ClusterInfo): Promise<void> {
    await this.call('Remove', toWireInfo(info), 'long')
  }

  async getVersion(info: ClusterInfo): Promise<string> {
    const reply = await this.call('GetVersion', toWireInfo(info), 'quick')
    return reply?.version ?? ''
  }

  async setVersion(info: ClusterInfo, version: string): Promise<ClusterInfo | undefined> {
    return infoOrUndefined(await this.call('SetVersion', {info: toWireInfo(info), version: {version}}, 'long'))
  }

  async getNodeCount(info: ClusterInfo): Promise<number> {
    const reply = await this.call('GetNodeCount', toWireInfo(info), 'quick')
    return Number(reply?.count ?? 0)
  }

  async setNodeCount(info: ClusterInfo, count: number): Promise<ClusterInfo | undefined> {
    return infoOrUndefined(await this.call('SetNodeCount', {info: toWireInfo(info), count: {count}}, 'long'))
  }

  async getCapabilities(): Promise<Capabilities> {
    const reply = await this.call('GetCapabilities', {}, 'quick')
    return fromWireCapabilities(reply?.capabilities)
  }

  async getK8sCapabilities(options: DriverOptions): Promise<K8sCapabilities> {
    return fromWireK8sCapabilities(await this.call('GetK8sCapabilities', toWireOptions(options), 'quick'))
  }

  async etcdSave(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<void> {
    await this.call('ETCDSave', snapshotRequest(info, options, snapshot), 'long')
  }

  async etcdRestore(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<ClusterInfo | undefined> {
    // drivers built against the older proto reply Empty, which decodes as an empty ClusterInfo
    const reply = fromWireInfo(await this.call('ETCDRestore', snapshotRequest(info, options, snapshot), 'long'))
    return isEmptyClusterInfo(reply) ? undefined : reply
  }

  async etcdRemoveSnapshot(info: ClusterInfo, options: DriverOptions, snapshot: string): Promise<void> {
    await this.call('ETCDRemoveSnapshot', snapshotRequest(info, options, snapshot), 'long')
  }

  async removeLegacyServiceAccount(info: ClusterInfo): Promise<void> {
    await this.call('RemoveLegacyServiceAccount', toWireInfo(info), 'long')
  }

  /**
   * One harmless call (GetCapabilities) without the driver secret, as another local user could make it:
   * `refused` is what an SDK driver given the secret answers; `no-secret` when ke gave it none (--attach).
   */
  async callWithoutSecret(): Promise<'refused' | 'answered' | 'no-secret'> {
    if (!this.process.secret) return 'no-secret'
    const unary = (this.client as unknown as Record<string, Unary>).GetCapabilities.bind(this.client)
    const deadline = Date.now() + (this.opts.quickCallTimeoutMs ?? QUICK_CALL_TIMEOUT_MS)
    const error = await new Promise<Grpc.ServiceError | null>((resolve) => unary({}, new this.grpc.Metadata(), {deadline}, (failure) => resolve(failure)))
    if (!error) return 'answered'
    if (error.code === this.grpc.status.UNAUTHENTICATED) return 'refused'
    throw await this.mapError('GetCapabilities', error, undefined)
  }

  /** Idempotent: every caller (the flow that is done with it, the supervisor at the end) waits for the one stop. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.client.close()
      await this.process.stop()
    })()
    return this.stopping
  }

  private deadlineFor(kind: 'quick' | 'long'): number | undefined {
    const ms = kind === 'quick' ? (this.opts.quickCallTimeoutMs ?? QUICK_CALL_TIMEOUT_MS) : this.opts.longCallTimeoutMs
    return ms === undefined ? undefined : ms
  }

  private call(method: DriverMethod, request: unknown, kind: 'quick' | 'long'): Promise<any> {
    const timeoutMs = this.deadlineFor(kind)
    const unary = (this.client as unknown as Record<string, Unary>)[method].bind(this.client)
    const options: Grpc.CallOptions = timeoutMs === undefined ? {} : {deadline: Date.now() + timeoutMs}
    const signal = this.opts.signal
    if (signal?.aborted) return Promise.reject(this.interruptedError(method))
    return new Promise((resolve, reject) => {
      const call = unary(request, this.metadata(), options, (error, reply) => {
        signal?.removeEventListener('abort', cancel)
        if (!error) return resolve(reply)
        this.mapError(method, error, timeoutMs).then(reject, reject)
      })
      const cancel = () => call.cancel()
      signal?.addEventListener('abort', cancel, {once: true})
    })
  }

  private metadata(): Grpc.Metadata {
    const metadata = new this.grpc.Metadata()
    if (this.process.secret) metadata.set(DRIVER_SECRET_METADATA, this.process.secret)
    return metadata
  }

  /** From now on the driver's output also goes to the cluster's log file, after `header`. */
  logTo(path: string, header: string): void {
    this.process.log.attachFile(path, header)
  }

  /** The driver's last output lines, redacted with every secret known now (for a failure's record). */
  logTail(): string[] {
    return this.process.log.tail()
  }

  /** Create learns the cluster's name only after the options call: from then on errors name it (and `ke logs NAME`). */
  forCluster(name: string): void {
    this.opts.cluster = name
  }

  private interruptedError(method: DriverMethod): KeError {
    return grpcFailureToKeError({code: 1, details: 'cancelled'}, {driver: this.name, method, cluster: this.opts.cluster, interrupted: this.opts.interruptedBy?.() ?? 'SIGINT'})
  }

  private async mapError(method: DriverMethod, error: Grpc.ServiceError, timeoutMs: number | undefined): Promise<KeError> {
    const failure: GrpcFailure = {code: error.code, details: error.details ?? error.message}
    const interrupted = this.opts.signal?.aborted ? (this.opts.interruptedBy?.() ?? 'SIGINT') : undefined
    const crashed = failure.code === this.grpc.status.UNAVAILABLE
    const process = await this.process.describe(crashed ? 1000 : 0)
    return grpcFailureToKeError(failure, {
      driver: this.name,
      method,
      cluster: this.opts.cluster,
      interrupted,
      timeoutSeconds: timeoutMs === undefined ? undefined : Math.round(timeoutMs / 1000),
      process,
    })
  }
}

function snapshotRequest(info: ClusterInfo, options: DriverOptions, snapshot: string): unknown {
  return {info: toWireInfo(info), driver_options: toWireOptions(options), SnapshotName: snapshot}
}

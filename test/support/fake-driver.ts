// A ClusterDriver in process, for specifications of the lifecycle. It records every call with its
// arguments and, through `watch`, what the store held at the moment of the call (what was saved before
// the risky step). Any method can be made to fail, return something else, or hang until the command is
// interrupted, as the gRPC client does when the supervisor aborts (driver/rpc/client.ts).
import {KeError} from '../../src/errors.js'
import type {SessionDriver} from '../../src/cluster/flow.js'
import {emptyClusterInfo, type Capabilities, type ClusterDriver, type ClusterInfo, type DriverFlags, type DriverOptions, type K8sCapabilities} from '../../src/protocol/types.js'
import type {ClusterRecord} from '../../src/store/cluster-record.js'

type Method = Exclude<keyof ClusterDriver, 'name'>

export interface FakeCall {
  method: Method
  /** The arguments, copied when the call was made. */
  args: unknown[]
  /** What `watch` returned when the call was made (the store's record of the cluster). */
  stored?: ClusterRecord
}

type Behaviour = (...args: any[]) => Promise<unknown>

export interface FakeDriverOptions {
  name?: string
  /** Read at every call: the store's content at that moment, kept in the call's `stored`. */
  watch?: () => ClusterRecord | undefined
  /** Aborted like the supervisor's signal: a hanging call then fails with CANCELLED. */
  signal?: AbortSignal
  /** What GetDriverCreateOptions and GetDriverUpdateOptions answer (none by default). */
  createOptions?: DriverFlags
  updateOptions?: DriverFlags
  /** What GetCapabilities claims (all by default). */
  capabilities?: Partial<Capabilities>
}

/** What the fake's Create returns unless told otherwise; the token is a secret the lifecycle must redact. */
export function fakeInfo(changes: Partial<ClusterInfo> = {}): ClusterInfo {
  return {
    ...emptyClusterInfo(),
    version: '1.30.0',
    endpoint: 'https://10.0.0.1:6443',
    serviceAccountToken: 'fake-token-0123456789',
    nodeCount: 3,
    metadata: {state: '{"id":"fake-1","region":"eu"}', zone: 'eu-1a'},
    ...changes,
  }
}

const ALL_CAPABILITIES: Capabilities = {getVersion: true, setVersion: true, getClusterSize: true, setClusterSize: true, etcdBackup: true}

export class FakeDriver implements SessionDriver {
  readonly name: string
  readonly calls: FakeCall[] = []
  /** Where logTo pointed the driver's output, and the cluster forCluster named. */
  logFile: string | undefined
  cluster: string | undefined
  private readonly behaviours = new Map<Method, Behaviour[]>()
  private readonly waiters = new Map<Method, Array<() => void>>()

  constructor(private readonly opts: FakeDriverOptions = {}) {
    this.name = opts.name ?? 'fake'
  }

  /** The next call of `method` runs `behaviour` instead of the default (queued: one per call). */
  next(method: Method, behaviour: Behaviour): this {
    this.behaviours.set(method, [...(this.behaviours.get(method) ?? []), behaviour])
    return this
  }

  /** The next call of `method` fails with `error`. */
  failNext(method: Method, error: Error = new KeError('DRIVER_CALL_FAILED', `driver fake failed ${method}: boom`)): this {
    return this.next(method, async () => {
      throw error
    })
  }

  /** The next call of `method` never returns until the signal aborts; then it fails as an interrupted gRPC call does. */
  hangNext(method: Method): this {
    return this.next(method, () => this.untilAborted(method))
  }

  /** Resolves once `method` has been called (at once when it already was). */
  called(method: Method): Promise<void> {
    if (this.calls.some((call) => call.method === method)) return Promise.resolve()
    return new Promise((resolve) => this.waiters.set(method, [...(this.waiters.get(method) ?? []), resolve]))
  }

  /** The calls of one method, in order. */
  callsOf(method: Method): FakeCall[] {
    return this.calls.filter((call) => call.method === method)
  }

  /** Method names in call order. */
  get methods(): Method[] {
    return this.calls.map((call) => call.method)
  }

  private async call<T>(method: Method, args: unknown[], fallback: () => Promise<T>): Promise<T> {
    this.calls.push({method, args: structuredClone(args), stored: this.opts.watch?.()})
    for (const resolve of this.waiters.get(method) ?? []) resolve()
    this.waiters.delete(method)
    const queued = this.behaviours.get(method)
    const behaviour = queued?.shift()
    return behaviour ? ((await behaviour(...args)) as T) : fallback()
  }

  private untilAborted(method: Method): Promise<never> {
    const signal = this.opts.signal
    if (!signal) throw new Error('FakeDriver.hangNext needs a signal')
    return new Promise((_resolve, reject) => {
      const fail = () => reject(new KeError('CANCELLED', `interrupted during ${method}; driver ${this.name} was stopped`))
      if (signal.aborted) fail()
      else signal.addEventListener('abort', fail, {once: true})
    })
  }

  getCreateOptions() {
    return this.call('getCreateOptions', [], async () => structuredClone(this.opts.createOptions ?? {}))
  }

  getUpdateOptions() {
    return this.call('getUpdateOptions', [], async () => structuredClone(this.opts.updateOptions ?? {}))
  }

  create(options: DriverOptions, info: ClusterInfo | undefined) {
    return this.call('create', [options, info], async () => fakeInfo({nodeCount: options.intOptions['node-count'] ?? 3}))
  }

  update(options: DriverOptions, info: ClusterInfo) {
    return this.call('update', [options, info], async () => ({...info, nodeCount: options.intOptions['node-count'] ?? info.nodeCount}))
  }

  postCheck(info: ClusterInfo) {
    return this.call('postCheck', [info], async () => ({...info, status: 'ready'}))
  }

  remove(info: ClusterInfo) {
    return this.call('remove', [info], async () => {})
  }

  getVersion(info: ClusterInfo) {
    return this.call('getVersion', [info], async () => info.version)
  }

  setVersion(info: ClusterInfo, version: string) {
    return this.call<ClusterInfo | undefined>('setVersion', [info, version], async () => undefined)
  }

  getNodeCount(info: ClusterInfo) {
    return this.call('getNodeCount', [info], async () => info.nodeCount)
  }

  setNodeCount(info: ClusterInfo, count: number) {
    return this.call<ClusterInfo | undefined>('setNodeCount', [info, count], async () => undefined)
  }

  getCapabilities() {
    return this.call('getCapabilities', [], async () => ({...ALL_CAPABILITIES, ...this.opts.capabilities}))
  }

  getK8sCapabilities(options: DriverOptions) {
    return this.call<K8sCapabilities>('getK8sCapabilities', [options], async () => ({ingressControllers: [], nodePoolScalingSupported: false, nodePortRange: ''}))
  }

  etcdSave(info: ClusterInfo, options: DriverOptions, snapshot: string) {
    return this.call('etcdSave', [info, options, snapshot], async () => {})
  }

  etcdRestore(info: ClusterInfo, options: DriverOptions, snapshot: string) {
    return this.call<ClusterInfo | undefined>('etcdRestore', [info, options, snapshot], async () => undefined)
  }

  etcdRemoveSnapshot(info: ClusterInfo, options: DriverOptions, snapshot: string) {
    return this.call('etcdRemoveSnapshot', [info, options, snapshot], async () => {})
  }

  removeLegacyServiceAccount(info: ClusterInfo) {
    return this.call('removeLegacyServiceAccount', [info], async () => {})
  }

  stop() {
    return this.call('stop', [], async () => {})
  }

  logTo(path: string): void {
    this.logFile = path
  }

  forCluster(name: string): void {
    this.cluster = name
  }
}

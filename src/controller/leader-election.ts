// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: of several
// `ke controller` replicas one holds the Lease and works; the others poll it and take over once the
// holder lets it go (a clean stop empties it), its process is gone from this machine, or it has not
// been renewed for leaseDurationSeconds. Expiry is measured on OUR clock from when we last saw the
// Lease change, never from the renewTime another machine wrote: clocks of two nodes differ.
// Every write names the resourceVersion it read, so two candidates never both win.
import {hostname} from 'node:os'
import {setTimeout as sleep} from 'node:timers/promises'
import type {CoordinationV1Api, KubeConfig, V1Lease} from '@kubernetes/client-node'
import {KeError} from '../errors.js'
import {isConflict, isNotFound} from '../store/kubernetes/api-errors.js'
import {MANAGED_BY} from '../store/kubernetes/cluster-object.js'
import {FIELD_MANAGER} from '../store/kubernetes/crd.js'
import {isGoneFromThisMachine, LEASE_SECONDS} from '../store/kubernetes/lease-lock.js'
import type {Logger} from './log.js'

export const DEFAULT_LEASE_NAME = 'ke-controller'
/** Between attempts to take a Lease someone else holds, and between retries of a failed renewal. */
const RETRY_MS = 2000

export interface LeaderElectionOptions {
  kc: KubeConfig
  namespace: string
  leaseName: string
  /** Who holds it, as others see it: `host/pid` by default (see defaultIdentity). */
  identity: string
  /** How long a Lease lasts unrenewed; renewed every third of it. Default 15. */
  leaseSeconds?: number
  /** Stop campaigning (or, while leading, stop once onLeading returns). */
  signal: AbortSignal
  log: Logger
  /**
   * Runs while this replica leads; it must return once `lost` aborts (the Lease could not be renewed
   * in time: another replica may take over) or once the caller's own `signal` aborts.
   */
  onLeading(lost: AbortSignal): Promise<void>
}

/** The pod name in Kubernetes (hostname), and the pid: unique per replica, recognisable in `kubectl get lease`. */
export function defaultIdentity(): string {
  return `${hostname()}/${process.pid}`
}

interface Timing {
  leaseMs: number
  /** Renew this often while leading. */
  renewMs: number
  /** Give up leading when no renewal succeeded for this long: before others may take it over. */
  renewDeadlineMs: number
  retryMs: number
}

function timing(leaseSeconds: number): Timing {
  const leaseMs = leaseSeconds * 1000
  return {leaseMs, renewMs: leaseMs / 3, renewDeadlineMs: (leaseMs * 2) / 3, retryMs: Math.min(RETRY_MS, leaseMs / 3)}
}

/** Aborting the wait only ends it early; it never throws. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, {signal}).catch(() => undefined)
}

/** A call that does not answer within `ms` counts as failed (a partitioned node must notice in time). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), {name: 'TimeoutError'})), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function message(error: unknown): string {
  const body = (error as {body?: unknown}).body
  if (typeof body === 'string' && body.length > 0) {
    try {
      return (JSON.parse(body) as {message?: string}).message ?? body.slice(0, 200)
    } catch {
      return body.slice(0, 200)
    }
  }
  return (error as Error).message ?? String(error)
}

class Elector {
  private api!: CoordinationV1Api
  private microTime!: (at?: Date) => Date
  private readonly time: Timing
  /** The Lease as we last saw it, and when (our clock): the base of expiry. */
  private observed?: {resourceVersion: string; at: number}

  constructor(private readonly opts: LeaderElectionOptions) {
    this.time = timing(opts.leaseSeconds ?? LEASE_SECONDS)
  }

  async init(): Promise<void> {
    const {CoordinationV1Api, V1MicroTime} = await import('@kubernetes/client-node')
    this.api = this.opts.kc.makeApiClient(CoordinationV1Api)
    this.microTime = (at = new Date()) => new V1MicroTime(at.getTime())
  }

  private get ref() {
    return {name: this.opts.leaseName, namespace: this.opts.namespace}
  }

  private held(lease: V1Lease): V1Lease {
    const now = this.microTime()
    const ours = lease.spec?.holderIdentity === this.opts.identity
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {...lease.metadata, name: this.opts.leaseName, namespace: this.opts.namespace, labels: {...lease.metadata?.labels, ...MANAGED_BY}},
      spec: {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: this.time.leaseMs / 1000,
        acquireTime: ours && lease.spec?.acquireTime ? lease.spec.acquireTime : now,
        renewTime: now,
        // as client-go counts: every change of hands of an existing Lease, released ones too
        leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + (lease.metadata?.resourceVersion && !ours ? 1 : 0),
      },
    }
  }

  /** Whether the holder of `lease` has let it go: no holder, a dead local process, or not renewed in time. */
  private isFree(lease: V1Lease): boolean {
    const holder = lease.spec?.holderIdentity
    if (!holder || holder === this.opts.identity) return true
    if (isGoneFromThisMachine(holder)) return true
    const resourceVersion = lease.metadata?.resourceVersion ?? ''
    const now = Date.now()
    if (this.observed?.resourceVersion !== resourceVersion) this.observed = {resourceVersion, at: now}
    const seconds = lease.spec?.leaseDurationSeconds ?? this.time.leaseMs / 1000
    return now - this.observed.at >= seconds * 1000
  }

  /** One attempt to take the Lease: the Lease we now hold, or undefined (held by another, or we lost a race). */
  async tryAcquire(): Promise<V1Lease | undefined> {
    const limit = this.time.retryMs * 2
    let current: V1Lease
    try {
      current = await within(limit, this.api.readNamespacedLease(this.ref))
    } catch (error) {
      if (!isNotFound(error)) throw error
      try {
        const body = this.held({metadata: {}})
        return await within(limit, this.api.createNamespacedLease({namespace: this.opts.namespace, body, fieldManager: FIELD_MANAGER}))
      } catch (createError) {
        if (isConflict(createError)) return undefined
        throw createError
      }
    }
    if (!this.isFree(current)) return undefined
    try {
      return await within(limit, this.api.replaceNamespacedLease({...this.ref, body: this.held(current), fieldManager: FIELD_MANAGER}))
    } catch (error) {
      if (isConflict(error)) return undefined
      throw error
    }
  }

  /** Tries until it holds the Lease (returned) or `signal` aborts (undefined). */
  async campaign(): Promise<V1Lease | undefined> {
    const {signal, log} = this.opts
    let lastProblem = ''
    while (!signal.aborted) {
      try {
        const lease = await this.tryAcquire()
        if (lease) return lease
      } catch (error) {
        const problem = message(error)
        // said once, not every two seconds
        if (problem !== lastProblem) log.warn('cannot read or take the leader Lease; retrying', {lease: this.opts.leaseName, namespace: this.opts.namespace, error: problem})
        lastProblem = problem
      }
      await pause(this.time.retryMs * (1 + Math.random() * 0.2), signal)
    }
    return undefined
  }

  /**
   * Renews `lease` until `stop` aborts; aborts `lost` (and returns) when another took it or no renewal
   * succeeded within the renew deadline. Returns the last Lease written.
   */
  async keepRenewing(lease: V1Lease, stop: AbortSignal, lost: AbortController): Promise<V1Lease> {
    const {log} = this.opts
    let lastRenewed = Date.now()
    let wait = this.time.renewMs
    for (;;) {
      await pause(wait, stop)
      if (stop.aborted) return lease
      const left = lastRenewed + this.time.renewDeadlineMs - Date.now()
      try {
        lease = await within(Math.max(500, Math.min(this.time.renewMs, left)), this.api.replaceNamespacedLease({...this.ref, body: this.held(lease), fieldManager: FIELD_MANAGER}))
        lastRenewed = Date.now()
        wait = this.time.renewMs
        continue
      } catch (error) {
        if (isConflict(error) || isNotFound(error)) {
          const now = await within(this.time.retryMs, this.api.readNamespacedLease(this.ref)).catch(() => undefined)
          if (now?.spec?.holderIdentity === this.opts.identity) {
            // changed by someone else (a label, say) but still ours: renew on top of it
            lease = now
            wait = 0
            continue
          }
          log.error('lost the leader Lease: another replica holds it now', {lease: this.opts.leaseName, holder: now?.spec?.holderIdentity})
          lost.abort(new Error('leader Lease taken over'))
          return lease
        }
        if (Date.now() - lastRenewed >= this.time.renewDeadlineMs) {
          log.error('lost the leader Lease: could not renew it in time', {lease: this.opts.leaseName, error: message(error)})
          lost.abort(new Error('leader Lease not renewed in time'))
          return lease
        }
        log.warn('cannot renew the leader Lease; retrying', {lease: this.opts.leaseName, error: message(error)})
        wait = Math.min(this.time.retryMs, Math.max(0, lastRenewed + this.time.renewDeadlineMs - Date.now()))
      }
    }
  }

  /** Empties the holder so a waiting replica takes over at its next try, not after the Lease expires. */
  async release(lease: V1Lease): Promise<void> {
    const body: V1Lease = {
      ...lease,
      spec: {...lease.spec, holderIdentity: undefined, acquireTime: undefined, renewTime: this.microTime(), leaseDurationSeconds: 1},
    }
    try {
      await within(this.time.retryMs * 2, this.api.replaceNamespacedLease({...this.ref, body, fieldManager: FIELD_MANAGER}))
      this.opts.log.info('released the leader Lease', {lease: this.opts.leaseName})
    } catch (error) {
      // taken over or deleted meanwhile: not ours to release; unreachable: it expires by itself
      this.opts.log.warn('could not release the leader Lease; it expires by itself', {lease: this.opts.leaseName, error: message(error)})
    }
  }
}

/**
 * Campaigns for the Lease `namespace/leaseName` until `signal` aborts; once it holds it, runs
 * onLeading while renewing it. Resolves when `signal` aborted before it led, or after onLeading
 * returned and the Lease was released. Throws ACCESS_FAILED when leadership was lost (the Lease could
 * not be renewed or was taken over) while `signal` had not aborted: the caller should exit and be
 * restarted, as client-go's controllers do; and rethrows what onLeading throws (after releasing).
 */
export async function runAsLeader(opts: LeaderElectionOptions): Promise<void> {
  const elector = new Elector(opts)
  await elector.init()
  const where = {lease: opts.leaseName, namespace: opts.namespace, identity: opts.identity}
  opts.log.info('waiting to lead', where)
  let lease = await elector.campaign()
  if (!lease) return
  opts.log.info('leading', where)
  const lost = new AbortController()
  const stop = new AbortController()
  const renewing = elector.keepRenewing(lease, stop.signal, lost)
  try {
    await opts.onLeading(lost.signal)
  } finally {
    stop.abort()
    lease = await renewing
    if (!lost.signal.aborted) await elector.release(lease)
  }
  if (lost.signal.aborted && !opts.signal.aborted) {
    throw new KeError('ACCESS_FAILED', `lost the leader Lease ${opts.namespace}/${opts.leaseName}: ${(lost.signal.reason as Error).message}`, {
      hint: 'another replica goes on with the work; check this replica\'s access to the API server',
    })
  }
}

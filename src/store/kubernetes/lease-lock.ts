// One coordination.k8s.io/v1 Lease per cluster, beside its Cluster object: `<name>-lock`, holder
// `host/pid/command`. Renewed while held, deleted on release; a holder that stops renewing (killed,
// machine gone) loses it once leaseDurationSeconds pass, and one on this machine whose process is
// gone loses it at once.
import {hostname} from 'node:os'
import type {CoordinationV1Api, V1Lease} from '@kubernetes/client-node'
import {KeError} from '../../errors.js'
import {isAlive} from '../../os/processes.js'
import type {Release} from '../cluster-store.js'
import {isConflict, isNotFound} from './api-errors.js'
import {MANAGED_BY} from './cluster-object.js'
import {FIELD_MANAGER} from './crd.js'

export const LEASE_SECONDS = 15

export function leaseName(name: string): string {
  return `${name}-lock`
}

/** The API calls a lock needs, each already turned into a KeError on failure (but 404 and 409). */
export interface LeaseCalls {
  api: CoordinationV1Api
  namespace: string
  /** Runs one call; maps errors except those `passes` lets through. */
  call<T>(what: string, work: () => Promise<T>, passes?: (error: unknown) => boolean): Promise<T>
  microTime(at?: Date): Date
}

interface Holder {
  identity: string
  /** When it ends unless renewed; undefined when the Lease names no holder. */
  expires?: Date
}

function holderOf(lease: V1Lease): Holder | undefined {
  const identity = lease.spec?.holderIdentity
  if (!identity) return undefined
  const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime
  const seconds = lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS
  return {identity, expires: renewed ? new Date(new Date(renewed).getTime() + seconds * 1000) : undefined}
}

/** An identity `host/pid[/…]` of a process on this machine that is gone (so its Lease is free at once). */
export function isGoneFromThisMachine(identity: string): boolean {
  const [host, pid] = identity.split('/')
  return host === hostname() && /^\d+$/.test(pid ?? '') && !isAlive(Number(pid))
}

/** A holder on this machine whose process is gone, or one whose Lease ran out. */
function isDead(holder: Holder, now = Date.now()): boolean {
  if (isGoneFromThisMachine(holder.identity)) return true
  return holder.expires !== undefined && holder.expires.getTime() <= now
}

export function busy(name: string, holder: Holder | undefined): KeError {
  const who = holder ? ` (held by ${holder.identity})` : ''
  return new KeError('CLUSTER_BUSY', `cluster ${name} is busy${who}`, {cluster: name, hint: 'wait for that command to finish, or stop it'})
}

async function readLease(calls: LeaseCalls, name: string): Promise<V1Lease | undefined> {
  return calls
    .call(`get Lease ${leaseName(name)}`, () => calls.api.readNamespacedLease({name: leaseName(name), namespace: calls.namespace}), isNotFound)
    .catch((error) => {
      if (isNotFound(error)) return undefined
      throw error
    })
}

/** The live holder of the cluster's Lease, if any. */
export async function liveHolder(calls: LeaseCalls, name: string): Promise<Holder | undefined> {
  const lease = await readLease(calls, name)
  const holder = lease && holderOf(lease)
  return holder && !isDead(holder) ? holder : undefined
}

function leaseBody(calls: LeaseCalls, name: string, identity: string, resourceVersion?: string): V1Lease {
  const now = calls.microTime()
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {name: leaseName(name), namespace: calls.namespace, labels: {...MANAGED_BY}, ...(resourceVersion ? {resourceVersion} : {})},
    spec: {holderIdentity: identity, leaseDurationSeconds: LEASE_SECONDS, acquireTime: now, renewTime: now},
  }
}

/** Creates the Lease, or takes over a dead holder's; throws CLUSTER_BUSY when a live one holds it. */
async function acquire(calls: LeaseCalls, name: string, identity: string): Promise<V1Lease> {
  const what = `create Lease ${leaseName(name)}`
  try {
    return await calls.call(what, () => calls.api.createNamespacedLease({namespace: calls.namespace, body: leaseBody(calls, name, identity), fieldManager: FIELD_MANAGER}), isConflict)
  } catch (error) {
    if (!isConflict(error)) throw error
  }
  const current = await readLease(calls, name)
  // released between our create and our read: once more
  if (!current) return acquire(calls, name, identity)
  const holder = holderOf(current)
  if (holder && !isDead(holder)) throw busy(name, holder)
  try {
    const body = leaseBody(calls, name, identity, current.metadata?.resourceVersion)
    return await calls.call(`take over Lease ${leaseName(name)}`, () => calls.api.replaceNamespacedLease({name: leaseName(name), namespace: calls.namespace, body, fieldManager: FIELD_MANAGER}), isConflict)
  } catch (error) {
    if (isConflict(error)) throw busy(name, holderOf((await readLease(calls, name)) ?? {}))
    throw error
  }
}

/** Takes the cluster's Lease for `command`; the Release stops renewing and deletes it. */
export async function lockWithLease(calls: LeaseCalls, name: string, command: string): Promise<Release> {
  const identity = `${hostname()}/${process.pid}/${command}`
  let lease = await acquire(calls, name, identity)
  let lost = false
  const renew = async () => {
    const body = {...lease, spec: {...lease.spec, renewTime: calls.microTime()}}
    try {
      lease = await calls.api.replaceNamespacedLease({name: leaseName(name), namespace: calls.namespace, body, fieldManager: FIELD_MANAGER})
    } catch (error) {
      // taken over or deleted by hand: stop renewing; a passing network error is retried next time
      if (isConflict(error) || isNotFound(error)) lost = true
    }
  }
  const timer = setInterval(() => {
    if (!lost) void renew()
  }, (LEASE_SECONDS * 1000) / 3)
  timer.unref()
  let released = false
  return async () => {
    if (released) return
    released = true
    clearInterval(timer)
    if (lost) return
    await calls.api
      .deleteNamespacedLease({name: leaseName(name), namespace: calls.namespace, body: {preconditions: {uid: lease.metadata?.uid}}})
      .catch(() => {
        // gone already, or taken over after it expired: either way it is not ours to delete
      })
  }
}

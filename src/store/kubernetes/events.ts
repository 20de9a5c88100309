// core/v1 Events about a `Cluster` object (issue 15): what `kubectl describe cluster.ke.io NAME` and
// `kubectl get events` show of ke's operations (CreateFailed with the driver log's last lines, Created,
// Removing, …). Written by `ke` on the Kubernetes store and by `ke controller`. An Event is best effort:
// a user who may write Clusters but not Events (403), or a slow API server, never fails an operation.
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'
import type {CoreV1Api, CoreV1Event} from '@kubernetes/client-node'
import {API_VERSION, KIND} from './crd.js'

export type EventType = 'Normal' | 'Warning'

export interface ClusterEvent {
  type: EventType
  /** UpperCamelCase, e.g. CreateFailed. */
  reason: string
  /** Already redacted by the caller (it knows the command's secrets); truncated here. */
  message: string
  /** What was done (the Event's `action`); the reason when unset. */
  action?: string
}

/** The API server refuses a longer message (its NoteLengthLimit, bytes). */
export const MAX_MESSAGE_BYTES = 1024
/** The API server refuses longer reasons and actions. */
const MAX_REASON_CHARS = 128
/** An Event must not hold an operation up: a slow API server costs at most this. */
const EVENT_TIMEOUT_MS = 5_000

/** `text` cut to at most `max` bytes of UTF-8, never inside a character, with `…` when cut. */
export function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text
  const ellipsis = '…'
  let cut = text.slice(0, max)
  while (Buffer.byteLength(cut + ellipsis, 'utf8') > max) cut = cut.slice(0, -1)
  return cut + ellipsis
}

/** Writes core/v1 Events about a Cluster object; never throws (an Event is best effort). */
export class EventRecorder {
  /** Who writes (the Event's reportingInstance): this host and process. */
  private readonly instance = `${hostname()}-${process.pid}`.slice(0, 128)

  constructor(
    private readonly core: CoreV1Api,
    /** 'ke' | 'ke-controller' */
    private readonly component: string,
  ) {}

  async emit(namespace: string, cluster: {name: string; uid?: string}, event: ClusterEvent): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    try {
      // loaded already by whoever made `core`; imported lazily so that importing this file costs nothing
      const {V1MicroTime} = await import('@kubernetes/client-node')
      const body = this.eventBody(namespace, cluster, event, (at) => new V1MicroTime(at.getTime()))
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, EVENT_TIMEOUT_MS)
        timer.unref()
      })
      await Promise.race([this.core.createNamespacedEvent({namespace, body}).then(() => undefined), timeout])
    } catch {
      // best effort: no right to write Events (403), a namespace being deleted, a server gone
    } finally {
      clearTimeout(timer)
    }
  }

  private eventBody(namespace: string, cluster: {name: string; uid?: string}, event: ClusterEvent, microTime: (at: Date) => Date): CoreV1Event {
    const now = new Date()
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name: `${cluster.name}.${randomBytes(8).toString('hex')}`, namespace},
      involvedObject: {apiVersion: API_VERSION, kind: KIND, name: cluster.name, namespace, ...(cluster.uid ? {uid: cluster.uid} : {})},
      type: event.type,
      reason: event.reason.slice(0, MAX_REASON_CHARS),
      action: (event.action ?? event.reason).slice(0, MAX_REASON_CHARS),
      message: truncateBytes(event.message, MAX_MESSAGE_BYTES),
      source: {component: this.component, host: hostname()},
      reportingComponent: this.component,
      reportingInstance: this.instance,
      firstTimestamp: now,
      lastTimestamp: now,
      // a MicroTime needs six fractional digits; a Date has three
      eventTime: microTime(now),
      count: 1,
    }
  }
}

import type {ClusterInfo} from '../protocol/types.js'

/** Thrown (or the default) for a method the driver does not offer; hosts see gRPC UNIMPLEMENTED. */
export class NotImplementedError extends Error {
  constructor(method: string) {
    super(`${method} is not implemented by this driver`)
    this.name = 'NotImplementedError'
  }
}

/**
 * Thrown for a mistake in the options the user gave (a missing or impossible value), before anything was
 * made. Hosts see gRPC INVALID_ARGUMENT: ke exits 2 and keeps no record of a create that failed so.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * Thrown from `create` when it fails after making resources: `new CreateFailedError(info, message)`,
 * info first as everywhere in the SDK (`new CreateFailedError(message, info)` still works). The host
 * receives `info` with `createError` set instead of an error, stores it, and can retry or remove with it.
 */
export class CreateFailedError extends Error {
  readonly info: ClusterInfo
  constructor(info: ClusterInfo, message: string)
  /** @deprecated the older order: pass `(info, message)`. */
  constructor(message: string, info: ClusterInfo)
  constructor(first: ClusterInfo | string, second: string | ClusterInfo) {
    const [info, message] = typeof first === 'string' ? [second as ClusterInfo, first] : [first, second as string]
    super(message)
    this.name = 'CreateFailedError'
    this.info = info
  }
}

/** Replies made by failedCreate: their createError is meant, not left over from a failed attempt. */
const failedReplies = new WeakSet<ClusterInfo>()

/** The reply for a create that failed after making resources (what CreateFailedError turns into). */
export function failedCreate(info: ClusterInfo, message: string): ClusterInfo {
  const reply = {...info, createError: message}
  failedReplies.add(reply)
  return reply
}

/**
 * A create that returned succeeded: the createError of the failed attempt it retried (carried over when
 * the driver builds on the stored info) is cleared. One the driver set itself (failedCreate, or a new
 * message) is kept.
 */
export function withoutStaleCreateError(info: ClusterInfo, previous: ClusterInfo | undefined): ClusterInfo {
  if (!info.createError || failedReplies.has(info) || info.createError !== previous?.createError) return info
  return {...info, createError: ''}
}

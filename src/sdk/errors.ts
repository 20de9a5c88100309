import type {ClusterInfo} from '../driver/types.js'

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
 * Thrown from `create` when it fails after making resources. The host receives `info` with
 * `createError` set instead of an error, stores it, and can retry or remove with it.
 */
export class CreateFailedError extends Error {
  constructor(message: string, readonly info: ClusterInfo) {
    super(message)
    this.name = 'CreateFailedError'
  }
}

/** The reply for a create that failed after making resources (what CreateFailedError turns into). */
export function failedCreate(info: ClusterInfo, message: string): ClusterInfo {
  return {...info, createError: message}
}

import type {ClusterInfo} from '../driver/types.js'

/** Thrown (or the default) for a method the driver does not offer; hosts see gRPC UNIMPLEMENTED. */
export class NotImplementedError extends Error {
  constructor(method: string) {
    super(`${method} is not implemented by this driver`)
    this.name = 'NotImplementedError'
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

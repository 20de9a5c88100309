// A spec the driver cannot take (unknown driver or option, a value of the wrong type, a missing Secret,
// a bad checksum): reported as Ready=False with the reason, and not retried until the spec changes.
import {KeError} from '../errors.js'

/** A spec the driver cannot take: reported as a condition and not retried until the spec changes. */
export class InvalidSpec {
  constructor(
    readonly reason: 'InvalidSpec' | 'BadChecksum',
    readonly error: KeError,
  ) {}
}

/** Errors of preparing a request that are not the spec's fault (the API server, a stop, a busy Lease). */
const NOT_THE_SPECS_FAULT = new Set(['ACCESS_FAILED', 'CANCELLED', 'CLUSTER_BUSY', 'DOWNLOAD_FAILED', 'INTERNAL', 'DRIVER_TIMEOUT'])

/** An error of preparing a request (driver start, options): InvalidSpec when the spec is to blame. */
export function asInvalidSpec(error: unknown): unknown {
  if (!(error instanceof KeError)) return error
  if (error.keCode === 'CHECKSUM_MISMATCH') return new InvalidSpec('BadChecksum', error)
  return NOT_THE_SPECS_FAULT.has(error.keCode) ? error : new InvalidSpec('InvalidSpec', error)
}


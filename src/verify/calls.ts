// How a driver call ended, as the contract checks need to tell it apart. The gRPC status was already
// mapped to a KeError code in driver/grpc-errors.ts; this only reads the code.
import {KeError} from '../errors.js'
import {describeError} from './checks.js'

/**
 * - `answered`: the call returned normally;
 * - `unimplemented`: gRPC UNIMPLEMENTED, or a Go handler that returned nothing (nil, nil);
 * - `driver-error`: the driver's own error (gRPC UNKNOWN and the like);
 * - `crashed` / `timeout`: the process died or did not answer in time;
 * - `cancelled`: ke was interrupted.
 */
export type CallEnd = 'answered' | 'unimplemented' | 'driver-error' | 'crashed' | 'timeout' | 'cancelled'

export interface CallResult<T> {
  end: CallEnd
  value?: T
  /** One line, for a reason. */
  error?: string
}

function endOf(error: unknown): CallEnd {
  if (!(error instanceof KeError)) return 'driver-error'
  switch (error.keCode) {
    case 'DRIVER_UNSUPPORTED':
      return 'unimplemented'
    case 'DRIVER_CRASHED':
      return 'crashed'
    case 'DRIVER_TIMEOUT':
      return 'timeout'
    case 'CANCELLED':
      return 'cancelled'
    default:
      return 'driver-error'
  }
}

/** Rejects after `ms` when the call has not ended: some calls (ETCD*) carry no deadline of their own. */
function withDeadline<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KeError('DRIVER_TIMEOUT', `${what} did not answer within ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([call, expired]).finally(() => clearTimeout(timer))
}

/** Runs one call and says how it ended, instead of throwing. Interruption still throws. */
export async function attempt<T>(what: string, call: () => Promise<T>, timeoutMs?: number): Promise<CallResult<T>> {
  try {
    const value = await (timeoutMs === undefined ? call() : withDeadline(call(), timeoutMs, what))
    return {end: 'answered', value}
  } catch (error) {
    const end = endOf(error)
    if (end === 'cancelled') throw error
    return {end, error: describeError(error)}
  }
}

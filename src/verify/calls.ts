// How a driver call ended, named for what the driver did. Read from the gRPC status itself (or the
// thrown error of a driver that is not gRPC), never from the KeError code ke maps the status to for users.
import {grpcFailureOf, isUnimplemented, Status} from '../driver/rpc/grpc-errors.js'
import {describeError, isCancelled} from './checks.js'
import type {DriverAnswer} from './types.js'

export interface CallResult<T> {
  /** The gRPC method, as it is named in results. */
  method: string
  end: DriverAnswer
  value?: T
  /** One line, for a reason. */
  error?: string
}

/** verify's own deadline ran out: the driver never answered. */
class NoAnswer extends Error {}

function answerOf(error: unknown): DriverAnswer {
  if (error instanceof NoAnswer) return 'timeout'
  const failure = grpcFailureOf(error)
  // a driver that is not a gRPC process (in-process, a test's fake) refuses by throwing
  if (!failure) return 'refused'
  if (isUnimplemented(failure)) return 'unimplemented'
  if (failure.code === Status.DEADLINE_EXCEEDED) return 'timeout'
  if (failure.code === Status.UNAVAILABLE || failure.code === Status.CANCELLED) return 'crashed'
  return 'refused'
}

/** Rejects after `ms` when the call has not ended: some calls (ETCD*) carry no deadline of their own. */
function withDeadline<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([call, expired]).finally(() => clearTimeout(timer))
}

/** Runs one call and says how it ended, instead of throwing. Interruption of ke (Ctrl-C) still throws. */
export async function attempt<T>(method: string, call: () => Promise<T>, timeoutMs?: number): Promise<CallResult<T>> {
  try {
    const value = await (timeoutMs === undefined ? call() : withDeadline(call(), timeoutMs, method))
    return {method, end: 'answered', value}
  } catch (error) {
    if (isCancelled(error)) throw error
    return {method, end: answerOf(error), error: describeError(error)}
  }
}

/** What the driver did in each call, for a result's `answers`. */
export function answersOf(...results: Array<CallResult<unknown>>): Record<string, DriverAnswer> {
  return Object.fromEntries(results.map((result) => [result.method, result.end]))
}

// The one place where gRPC status codes become ke errors. Branch on codes, never on message text,
// except for the one message grpc-go itself puts on the wire for a handler that returned nothing.
import {KeError, withDriverLogTail} from '../../errors.js'
import {exitCodeForSignal} from '../run/supervisor.js'
import type {DriverMethod} from '../../protocol/types.js'

/** grpc status codes used here (numbers from the gRPC spec; avoids loading grpc-js to name them). */
export const Status = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const

export interface GrpcFailure {
  code: number
  details: string
}

/** What the launcher knows about the process when a call failed. */
export interface ProcessState {
  /** "exit code 2" / "signal SIGSEGV", when the process has exited. */
  exit?: string
  /** Last lines the driver logged, secrets redacted. */
  logTail: string[]
  /** ke attached to a driver it did not start: it cannot see the process. */
  attached?: boolean
  /** The file holding the whole driver log, when there is one. */
  logFile?: string
}

export interface CallContext {
  driver: string
  method: DriverMethod
  cluster?: string
  /** Set when ke itself cancelled the call because of a signal. */
  interrupted?: 'SIGINT' | 'SIGTERM' | 'SIGHUP'
  timeoutSeconds?: number
  process?: ProcessState
}

/** A Go handler that returned (nil, nil): grpc-go cannot marshal it and reports INTERNAL. */
function isGoNilReply(failure: GrpcFailure): boolean {
  return failure.code === Status.INTERNAL && failure.details.includes('Marshal called with nil')
}

export function isUnimplemented(failure: GrpcFailure): boolean {
  return failure.code === Status.UNIMPLEMENTED || isGoNilReply(failure)
}

/** The driver's own last lines under the message (ke's notes, such as its start, are left out). */
function withTail(message: string, state: ProcessState | undefined): string {
  return withDriverLogTail(message, state?.logTail ?? [])
}

/** The status each KeError made here came from: callers that judge the driver (ke/verify) read it, not ke's codes. */
const FAILURE_OF = new WeakMap<KeError, GrpcFailure>()

/** The gRPC status a driver call failed with, when `error` is that call's KeError. */
export function grpcFailureOf(error: unknown): GrpcFailure | undefined {
  return error instanceof KeError ? FAILURE_OF.get(error) : undefined
}

/** A failed gRPC call to a driver as the KeError a user sees (message, hint, exit code). */
export function grpcFailureToKeError(failure: GrpcFailure, ctx: CallContext): KeError {
  const error = keErrorFor(failure, ctx)
  FAILURE_OF.set(error, failure)
  return error
}

function keErrorFor(failure: GrpcFailure, ctx: CallContext): KeError {
  const {driver, method, cluster} = ctx
  const where = {driver, cluster}
  const logs = cluster ? `ke logs ${cluster}` : ctx.process?.logFile ? `less ${ctx.process.logFile}` : 'run again with --debug'
  if (ctx.interrupted) {
    const exit = exitCodeForSignal(ctx.interrupted)
    return new KeError('CANCELLED', `interrupted during ${method}; driver ${driver} was stopped`, {
      ...where,
      exit,
      hint: cluster ? `run \`ke create ${cluster}\` to retry, or \`ke rm ${cluster}\` to clean up` : undefined,
    })
  }
  if (isUnimplemented(failure)) {
    return new KeError('DRIVER_UNSUPPORTED', `driver ${driver} does not implement ${method}`, {
      ...where,
      hint: 'the driver predates this call or leaves it out; nothing was changed',
    })
  }
  if (failure.code === Status.DEADLINE_EXCEEDED) {
    const after = ctx.timeoutSeconds !== undefined ? ` after ${ctx.timeoutSeconds} s` : ''
    return new KeError('DRIVER_TIMEOUT', withTail(`driver ${driver} did not answer ${method}${after}`, ctx.process), {
      ...where,
      hint: `raise --timeout if the driver is just slow; driver log: \`${logs}\``,
    })
  }
  if (failure.code === Status.UNAVAILABLE && ctx.process && !ctx.process.exit && !ctx.process.attached) {
    return new KeError('DRIVER_CALL_FAILED', withTail(`driver ${driver} is running but did not answer ${method} over gRPC: it does not speak the cluster-driver protocol`, ctx.process), {
      ...where,
      hint: 'check that it is a kontainer-engine cluster driver (it must serve gRPC on the port it is given)',
    })
  }
  if (failure.code === Status.UNAVAILABLE || failure.code === Status.CANCELLED) {
    const exit = ctx.process?.exit ? ` (${ctx.process.exit})` : ''
    return new KeError('DRIVER_CRASHED', withTail(`driver ${driver} crashed during ${method}${exit}`, ctx.process), {
      ...where,
      hint: `this is a driver bug: report it to the driver's author with its log (\`${logs}\`)`,
    })
  }
  if (failure.code === Status.UNAUTHENTICATED && ctx.process?.attached) {
    return new KeError('DRIVER_CALL_FAILED', `driver ${driver} refused ${method}: it was started with KE_DRIVER_SECRET and ke sent another or none`, {
      ...where,
      hint: 'run ke with the same KE_DRIVER_SECRET the driver was started with, or drop --attach to let ke start it',
    })
  }
  if (failure.code === Status.INVALID_ARGUMENT) {
    // the driver says the options are wrong (SDK UsageError): the user's mistake, not the driver's;
    // the hint names the options of the call it refused (an update's are the cluster's own)
    const options = method === 'Update' && cluster ? `ke update ${cluster} --help` : `ke create --driver ${driver} --help`
    return new KeError('BAD_ARGUMENT', `driver ${driver}: ${failure.details}`, {...where, hint: `the driver's options: \`${options}\``})
  }
  const text = failure.details || `gRPC status ${failure.code}`
  // a failed create is kept (at Error) for what comes next: say what that is
  const next = method === 'Create' && cluster ? `; then \`ke create ${cluster}\` retries it (flags given win) or \`ke rm ${cluster}\` removes it` : ''
  return new KeError('DRIVER_CALL_FAILED', withTail(`driver ${driver} failed ${method}: ${text}`, ctx.process), {
    ...where,
    hint: `the driver reported this error; its log: \`${logs}\`${next}`,
  })
}

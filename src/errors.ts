import {Errors} from '@oclif/core'

/**
 * Exit codes are part of ke's interface: scripts branch on them. Shown in `--help` as EXIT CODES.
 */
export const ExitCode = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const

export type ErrorCode =
  | 'DRIVER_CRASHED'
  | 'DRIVER_NOT_READY'
  | 'DRIVER_CANNOT_START'
  | 'DRIVER_CALL_FAILED'
  | 'DRIVER_UNSUPPORTED'
  | 'DRIVER_TIMEOUT'
  | 'CREATE_FAILED'
  | 'POST_CHECK_FAILED'
  | 'VERIFY_FAILED'
  | 'ACCESS_FAILED'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'PACKAGE_FAILED'
  | 'INTERNAL'
  | 'BAD_FLAG'
  | 'BAD_NAME'
  | 'BAD_CONFIG'
  | 'BAD_ARGUMENT'
  | 'UNKNOWN_FLAG_TYPE'
  | 'MISSING_VALUE'
  | 'UNKNOWN_COMMAND'
  | 'CLUSTER_NOT_FOUND'
  | 'DRIVER_NOT_FOUND'
  | 'SNAPSHOT_NOT_FOUND'
  | 'CLUSTER_EXISTS'
  | 'DRIVER_EXISTS'
  | 'CLUSTER_BUSY'
  | 'CLUSTER_INCOMPLETE'
  | 'DRIVER_MISMATCH'
  | 'STATE_FROM_NEWER_KE'
  | 'STATE_UNREADABLE'
  | 'CANCELLED'

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  DRIVER_CRASHED: ExitCode.FAILED,
  DRIVER_NOT_READY: ExitCode.FAILED,
  DRIVER_CANNOT_START: ExitCode.FAILED,
  DRIVER_CALL_FAILED: ExitCode.FAILED,
  DRIVER_UNSUPPORTED: ExitCode.FAILED,
  DRIVER_TIMEOUT: ExitCode.FAILED,
  CREATE_FAILED: ExitCode.FAILED,
  POST_CHECK_FAILED: ExitCode.FAILED,
  VERIFY_FAILED: ExitCode.FAILED,
  ACCESS_FAILED: ExitCode.FAILED,
  DOWNLOAD_FAILED: ExitCode.FAILED,
  CHECKSUM_MISMATCH: ExitCode.FAILED,
  PACKAGE_FAILED: ExitCode.FAILED,
  STATE_UNREADABLE: ExitCode.FAILED,
  INTERNAL: ExitCode.FAILED,
  BAD_FLAG: ExitCode.USAGE,
  BAD_NAME: ExitCode.USAGE,
  BAD_CONFIG: ExitCode.USAGE,
  BAD_ARGUMENT: ExitCode.USAGE,
  UNKNOWN_FLAG_TYPE: ExitCode.USAGE,
  MISSING_VALUE: ExitCode.USAGE,
  UNKNOWN_COMMAND: ExitCode.USAGE,
  CLUSTER_NOT_FOUND: ExitCode.NOT_FOUND,
  DRIVER_NOT_FOUND: ExitCode.NOT_FOUND,
  SNAPSHOT_NOT_FOUND: ExitCode.NOT_FOUND,
  CLUSTER_EXISTS: ExitCode.CONFLICT,
  DRIVER_EXISTS: ExitCode.CONFLICT,
  CLUSTER_BUSY: ExitCode.CONFLICT,
  CLUSTER_INCOMPLETE: ExitCode.CONFLICT,
  DRIVER_MISMATCH: ExitCode.CONFLICT,
  STATE_FROM_NEWER_KE: ExitCode.CONFLICT,
  CANCELLED: ExitCode.SIGINT,
}

export const EXIT_CODES_HELP = [
  '0    success',
  '1    the operation failed (driver, cluster, verify)',
  '2    usage: bad flag, argument, name, option value or config file; unknown command',
  '3    not found: cluster or driver',
  '4    conflict: cluster exists, is busy or belongs to another driver; driver installed with other contents',
  '130  interrupted (SIGINT), 143 terminated (SIGTERM), 129 hung up (SIGHUP: the terminal closed)',
].join('\n')

/** Exit codes from worst to least bad: an interruption, then a failure (resources may remain), ... */
const SEVERITY: readonly number[] = [ExitCode.SIGTERM, ExitCode.SIGHUP, ExitCode.SIGINT, ExitCode.FAILED, ExitCode.CONFLICT, ExitCode.NOT_FOUND, ExitCode.USAGE, ExitCode.OK]

/** The exit code of a command that reports several results (`ke rm a b c`): the worst of them. */
export function worstExit(codes: number[]): number {
  const rank = (code: number) => (SEVERITY.includes(code) ? SEVERITY.indexOf(code) : -1)
  return codes.reduce((worst, code) => (rank(code) < rank(worst) ? code : worst), ExitCode.OK)
}

export interface KeErrorOptions {
  hint?: string
  exit?: number
  driver?: string
  cluster?: string
  cause?: unknown
  /**
   * The command's result when failing is a finding, not a crash (`driver verify`, `driver check`): it stays
   * the output, and under --json the error is added to it.
   */
  result?: object
}

/**
 * The one error type. `message` says what failed and where; `hint` says what to do next.
 * Extends oclif's CLIError so oclif honours its exit code and prints the hint as a suggestion.
 */
export class KeError extends Errors.CLIError {
  readonly keCode: ErrorCode
  readonly hint?: string
  readonly driver?: string
  readonly cluster?: string
  readonly result?: object

  constructor(code: ErrorCode, message: string, opts: KeErrorOptions = {}) {
    super(message, {exit: opts.exit ?? EXIT_BY_CODE[code], code, suggestions: opts.hint ? [opts.hint] : undefined})
    this.name = 'KeError'
    this.keCode = code
    this.hint = opts.hint
    this.driver = opts.driver
    this.cluster = opts.cluster
    this.result = opts.result
    if (opts.cause !== undefined) (this as {cause?: unknown}).cause = opts.cause
  }

  get exitCode(): number {
    return this.oclif.exit ?? ExitCode.FAILED
  }
}

export function isKeError(error: unknown): error is KeError {
  return error instanceof KeError
}

/** ke's own notes in a driver log (`[ke] started …`): not what the driver said. */
const KE_NOTE = '[ke]'

/** What the driver itself printed, of a driver log's lines. */
export function driverOwnLines(logLines: string[]): string[] {
  return logLines.filter((line) => line.trim() !== '' && !line.startsWith(KE_NOTE))
}

/** `message`, then what the driver itself printed last, when there is any. */
export function withDriverLogTail(message: string, logLines: string[]): string {
  const tail = driverOwnLines(logLines)
  return tail.length ? `${message}\nlast lines of the driver log:\n${tail.map((line) => `  ${line}`).join('\n')}` : message
}

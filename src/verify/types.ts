// What `ke driver verify` reports: one result per check, each with a stable name authors and CI
// can match on. These shapes are the `--json` output and part of the importable API.
import type {DriverOptions} from '../protocol/types.js'

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

/** Checks are grouped by what they exercise: starting, declared options, the RPC contract, a real cluster. */
export type CheckGroup = 'start-up' | 'options' | 'contract' | 'lifecycle'
export const CHECK_GROUPS: readonly CheckGroup[] = ['start-up', 'options', 'contract', 'lifecycle']

/**
 * What the driver did with one call, read from the gRPC status (not from the error ke would show a user):
 * - `answered`: it replied normally;
 * - `refused`: it replied with its own error (gRPC UNKNOWN, INVALID_ARGUMENT, UNAUTHENTICATED, ...);
 * - `unimplemented`: gRPC UNIMPLEMENTED, or a Go handler that returned nothing (nil, nil);
 * - `crashed`: the connection was lost: the driver exited or stopped serving;
 * - `timeout`: it did not reply in time.
 */
export type DriverAnswer = 'answered' | 'refused' | 'unimplemented' | 'crashed' | 'timeout'

export interface CheckResult {
  /** Stable name, `<group>.<check>` (e.g. `options.types`): match on this, not on the title. */
  name: string
  group: CheckGroup
  /** What the check asks of the driver, as a sentence fragment. */
  title: string
  status: CheckStatus
  /** One line: why it passed, failed, warned or was skipped. */
  reason: string
  /** For checks judged by how calls ended: what the driver did in each, by gRPC method (`{ETCDSave: 'refused'}`). */
  answers?: Record<string, DriverAnswer>
  durationMs: number
}

export interface VerifySummary {
  passed: number
  failed: number
  warnings: number
  skipped: number
  total: number
}

export interface VerifyReport {
  driver: string
  /** Whether the lifecycle checks (a real Create ... Remove) ran. */
  full: boolean
  /** True when no check failed (warnings allowed). */
  ok: boolean
  summary: VerifySummary
  checks: CheckResult[]
  durationMs: number
}

/**
 * Lets Ctrl-C wind the lifecycle down instead of stopping it: the call under way finishes and what was
 * made is removed (run.ts installs it on ke's supervisor).
 */
export interface CleanUpGuard {
  /** The lifecycle is about to make something: from now on the first Ctrl-C aborts this signal. */
  arm(): AbortSignal
  /** What exists because of this run, for the message of a second Ctrl-C; undefined once nothing does. */
  mayRemain(what: string | undefined): void
  disarm(): void
}

/** Receives each check as it starts (progress) and each secret the driver hands back (redaction). */
export interface VerifyHooks {
  onCheck?: (title: string) => void
  onSecret?: (...values: string[]) => void
  cleanUpGuard?: CleanUpGuard
}

export interface VerifyOptions extends VerifyHooks {
  /**
   * Run only these checks, each a check's name (`contract.update-options`) or a group (`options`); the
   * report holds only them. Default: every check (the lifecycle ones with `full`). Unknown names throw.
   */
  checks?: readonly string[]
  /** Also run the lifecycle: Create, PostCheck, the claimed calls, Remove (makes a real cluster). */
  full?: boolean
  /**
   * Options for the lifecycle's Create. When absent, each declared option gets its declared default,
   * with `values` (by declared or camelCase name) on top.
   */
  createOptions?: DriverOptions
  values?: Record<string, string | number | boolean | string[]>
  /** Name of the cluster the lifecycle makes (sent as option `name`); default `ke-verify-<random>`. */
  clusterName?: string
  /** Deadline for each contract call (the ETCD methods have none of their own); default 60 s. */
  callTimeoutMs?: number
  /** How long the driver took to listen, when the caller started it: reported as `start-up.listens`. */
  startedInMs?: number
}

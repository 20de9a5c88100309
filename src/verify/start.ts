// Starting the driver is the first check: a driver that cannot start or never listens is a finding
// (`start-up.listens` fails), not an error; a driver that is not there at all is still an error.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {GrpcClusterDriver} from '../driver/rpc/client.js'
import {openDriver, type SessionContext} from '../driver/run/session.js'
import {Supervisor} from '../driver/run/supervisor.js'
import {KeError} from '../errors.js'
import {Redactor} from '../redact.js'
import {describeError, fail, Recorder, selectChecks} from './checks.js'
import type {VerifyOptions, VerifyReport} from './types.js'
import {summarize, verifyDriver} from './verify.js'

export interface StartTimeouts {
  readyTimeoutMs?: number
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
}

export type Started = {driver: GrpcClusterDriver; startedInMs: number} | {failure: VerifyReport}

function isStartFailure(error: unknown): boolean {
  return error instanceof KeError && ['DRIVER_CANNOT_START', 'DRIVER_NOT_READY', 'DRIVER_CRASHED', 'DRIVER_TIMEOUT'].includes(error.keCode)
}

function notStarted(ref: string, full: boolean, checks: readonly string[] | undefined, error: unknown, durationMs: number): VerifyReport {
  const rec = new Recorder({}, selectChecks(checks, full))
  rec.record('start-up.listens', fail(describeError(error)), durationMs)
  for (const group of ['start-up', 'options', 'contract'] as const) rec.skipRest(group, 'the driver did not start')
  if (full) rec.skipRest('lifecycle', 'the driver did not start')
  return summarize(ref, full, rec.results, durationMs)
}

/** Starts the driver (tracked by ctx.supervisor), or reports why it did not start (in the checks selected). */
export async function startForVerify(ctx: SessionContext, ref: string, timeouts: StartTimeouts, full: boolean, checks?: readonly string[]): Promise<Started> {
  const started = Date.now()
  try {
    const driver = await openDriver(ctx, {ref, ...timeouts})
    return {driver, startedInMs: Date.now() - started}
  } catch (error) {
    if (!isStartFailure(error)) throw error
    return {failure: notStarted(ref, full, checks, error, Date.now() - started)}
  }
}

export interface VerifyAtOptions extends VerifyOptions, StartTimeouts {
  /**
   * ke's home: where installed drivers are found by name and running drivers recorded. Default: a new
   * temporary folder, removed afterwards; never $KE_HOME or ~/.ke unless given here.
   */
  home?: string
  /** The environment the driver starts with; default process.env. */
  env?: NodeJS.ProcessEnv
}

/** Starts the driver at `ref` (a path, `sample`, or a name installed in `home`), verifies it and stops it. */
export async function verifyDriverAt(ref: string, opts: VerifyAtOptions = {}): Promise<VerifyReport> {
  // a selection naming no check throws before anything starts
  selectChecks(opts.checks, opts.full ?? false)
  const supervisor = new Supervisor()
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'ke-verify-'))
  // the driver inherits ke's home as the CLI's drivers do (the sample driver keeps its cloud there)
  const env = {...(opts.env ?? process.env), KE_HOME: home}
  const ctx: SessionContext = {home, cwd: process.cwd(), env, redactor: new Redactor(), supervisor}
  try {
    const started = await startForVerify(ctx, ref, opts, opts.full ?? false, opts.checks)
    if ('failure' in started) return started.failure
    return await verifyDriver(started.driver, {callTimeoutMs: opts.quickCallTimeoutMs, ...opts, startedInMs: started.startedInMs})
  } finally {
    await supervisor.stopAll()
    if (opts.home === undefined) rmSync(home, {recursive: true, force: true})
  }
}

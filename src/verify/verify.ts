// verifyDriver(): every check against one running driver, grouped as the report shows them:
// start-up, options, contract and, with `full`, the lifecycle of a real cluster.
import {resolveOptions, toDriverOptions, type ExtraValue} from '../driver/options/option-values.js'
import {isFlagType, toOptionSpecs, type OptionValue} from '../driver/options/options.js'
import type {Capabilities, ClusterDriver, DriverFlags, DriverOptions, FlagType} from '../protocol/types.js'
import {KeError} from '../errors.js'
import {pass, Recorder, selectChecks, skip, warn, type Outcome} from './checks.js'
import {checkContract, checkUpdateOptions} from './contract.js'
import {runLifecycle} from './lifecycle.js'
import {checkOptions, type DeclaredOptions} from './option-checks.js'
import {CHECK_GROUPS, type CheckResult, type VerifyOptions, type VerifyReport} from './types.js'

const DEFAULT_CALL_TIMEOUT_MS = 60_000

/** Only the options of known types: the others are reported by `options.types`, not sent. */
export function knownTypeOptions(flags: DriverFlags): DriverFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, flag]) => isFlagType(flag.type)))
}

function typeOf(value: OptionValue): FlagType {
  if (Array.isArray(value)) return 'stringSlice'
  if (typeof value === 'number') return 'int'
  if (typeof value === 'boolean') return 'bool'
  return 'string'
}

/** Options for Create as `ke create` would send them: declared defaults, `values` on top, both spellings. */
export function createOptionsFrom(flags: DriverFlags, driver: string, values: Record<string, OptionValue> = {}): DriverOptions {
  const specs = toOptionSpecs(knownTypeOptions(flags), driver)
  const extras: ExtraValue[] = Object.entries(values).map(([name, value]) => ({name, type: typeOf(value), value, source: 'set'}))
  const {options} = resolveOptions(specs, {flags: {}, env: {}, extras, applyDefaults: true})
  return toDriverOptions(options, 'both', {sendUnset: true})
}

export function summarize(driver: string, full: boolean, checks: CheckResult[], durationMs: number): VerifyReport {
  const count = (status: CheckResult['status']) => checks.filter((check) => check.status === status).length
  const summary = {passed: count('pass'), failed: count('fail'), warnings: count('warn'), skipped: count('skip'), total: checks.length}
  // the report lists groups in a fixed order, checks in the order they ran
  const ordered = CHECK_GROUPS.flatMap((group) => checks.filter((check) => check.group === group))
  return {driver, full, ok: summary.failed === 0, summary, checks: ordered, durationMs}
}

/** The error a failed verification ends with (exit 1): which checks failed. Undefined when none did. */
export function verifyFailure(report: VerifyReport): KeError | undefined {
  const failed = report.checks.filter((check) => check.status === 'fail').map((check) => check.name)
  if (failed.length === 0) return undefined
  const {passed, warnings, skipped} = report.summary
  return new KeError('VERIFY_FAILED', `driver ${report.driver} failed ${failed.length} of ${report.summary.total} checks: ${failed.join(', ')}`, {
    driver: report.driver,
    hint: `${passed} passed, ${warnings} warned, ${skipped} skipped; each failed check above says why`,
  })
}

async function readCapabilities(driver: ClusterDriver, rec: Recorder): Promise<Capabilities | undefined> {
  let caps: Capabilities | undefined
  await rec.run('start-up.capabilities', async () => {
    caps = await driver.getCapabilities()
    const claimed = Object.entries(caps).filter(([, on]) => on).map(([name]) => name)
    return pass(`claims ${claimed.length ? claimed.join(', ') : 'nothing beyond the required methods'}`)
  })
  return caps
}

/** What a host that gave the driver a secret can ask of it (GrpcClusterDriver). */
interface SecretProbe {
  callWithoutSecret?: () => Promise<'refused' | 'answered' | 'no-secret'>
}

async function checkSecret(driver: ClusterDriver, rec: Recorder): Promise<void> {
  const probe = (driver as SecretProbe).callWithoutSecret?.bind(driver)
  await rec.run('start-up.secret', async () => {
    const answer = probe ? await probe() : 'no-secret'
    if (answer === 'no-secret') return skip('ke started no driver here, so it gave none a secret')
    const answers = {GetCapabilities: answer}
    if (answer === 'refused') return {...pass('refused a call that came without the secret (UNAUTHENTICATED)'), answers}
    return {
      ...warn(
        'answered a call without the secret ke gave it (KE_DRIVER_SECRET): any local user who finds its port can call it; expected of Go drivers, which cannot know the secret',
      ),
      answers,
    }
  })
}

async function readDeclared(driver: ClusterDriver, rec: Recorder): Promise<DeclaredOptions | undefined> {
  const declared: Partial<DeclaredOptions> = {}
  const count = (flags: DriverFlags): Outcome => {
    const n = Object.keys(flags).length
    return pass(`${n} ${n === 1 ? 'option' : 'options'}`)
  }
  await rec.run('options.create-options', async () => count((declared.create = await driver.getCreateOptions())))
  await rec.run('options.update-options', async () => count((declared.update = await driver.getUpdateOptions())))
  return declared.create ? (declared as DeclaredOptions) : undefined
}

/**
 * Runs the checks against `driver` (all, or those `opts.checks` selects), which the caller started and
 * stops. Never throws for a finding: every problem is a failed (or warning) check in the report. Throws
 * when interrupted (CANCELLED) and, before any call, for a selection naming no check (BAD_ARGUMENT).
 * With `full`, makes a real cluster and removes it again, even when a step fails.
 */
export async function verifyDriver(driver: ClusterDriver, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now()
  const full = opts.full ?? false
  const rec = new Recorder(opts, selectChecks(opts.checks, full))
  if (opts.startedInMs !== undefined) rec.record('start-up.listens', pass(`listening after ${(opts.startedInMs / 1000).toFixed(1)} s`), opts.startedInMs)
  const caps = await readCapabilities(driver, rec)
  if (!caps) rec.record('start-up.secret', skip('GetCapabilities failed'))
  else if (rec.wants('start-up.secret')) await checkSecret(driver, rec)
  const declared = await readDeclared(driver, rec)
  if (declared) for (const [name, outcome] of checkOptions(declared)) rec.record(name, outcome)
  else rec.skipRest('options', 'GetDriverCreateOptions failed')
  const timeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
  if (caps) await checkContract(driver, caps, rec, {full, timeoutMs})
  else rec.skipRest('contract', 'GetCapabilities failed')
  if (caps && rec.wants('contract.update-options')) await rec.run('contract.update-options', () => checkUpdateOptions(driver, declared?.update, timeoutMs))
  // selectChecks leaves the lifecycle out without `full`
  const lifecycle = rec.wantsAny('lifecycle')
  if (lifecycle && caps && declared) {
    const options = opts.createOptions ?? createOptionsFrom(declared.create, driver.name, opts.values)
    await runLifecycle(driver, caps, {options, clusterName: opts.clusterName, onSecret: opts.onSecret, cleanUpGuard: opts.cleanUpGuard}, rec)
  } else if (lifecycle) {
    rec.skipRest('lifecycle', caps ? 'GetDriverCreateOptions failed' : 'GetCapabilities failed')
  }
  // the report's time includes the start-up the caller measured
  return summarize(driver.name, full, rec.results, Date.now() - started + (opts.startedInMs ?? 0))
}

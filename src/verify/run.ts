// `ke driver verify`: start the driver (the start-up check), parse the driver's options as flags,
// run every check, write the JUnit report. The driver is stopped whatever happens.
import {writeFileSync} from 'node:fs'
import {readConfigFile} from '../driver/options/config-file.js'
import {resolveOptions, secretValues, toDriverOptions, type KeyStyle} from '../driver/options/option-values.js'
import {toOptionSpecs, type OptionSpec} from '../driver/options/options.js'
import type {SessionContext} from '../driver/run/session.js'
import type {DriverOptions} from '../protocol/types.js'
import {KeError} from '../errors.js'
import {describeError} from './checks.js'
import {toJUnitXml} from './junit.js'
import type {CleanUpGuard, VerifyReport} from './types.js'
import {startForVerify, type StartTimeouts} from './start.js'
import {knownTypeOptions, verifyDriver} from './verify.js'

/** Names oclif can take as a flag; options with other names are still checked, just not settable. */
const FLAG_NAME = /^[A-Za-z0-9][\w.-]*$/

/** What the command parsed once the driver's options were known (phase two). */
export interface VerifyFlags {
  full: boolean
  junit?: string
  config?: string
  keyStyle?: KeyStyle
  /** --check: the checks or groups to run (all when absent). */
  checks?: string[]
  /** oclif's parsed flags, driver options among them (keyed by flag name). */
  flags: Record<string, unknown>
}

export interface VerifyRequest {
  ref: string
  timeouts: StartTimeouts
  /** ke's own flag names: a driver option with one of these names becomes `--driver-<name>`. */
  reservedFlags: ReadonlySet<string>
  /** Phase two of the parse: the command's flags plus one per declared option of a known type. */
  parse: (specs: OptionSpec[]) => Promise<VerifyFlags>
  /** Read from argv, for when the driver never started and there are no driver flags to parse with. */
  unparsed: {full: boolean; junit?: string}
  onCheck?: (title: string) => void
  onWarning?: (text: string) => void
}

async function createOptionsOf(ctx: SessionContext, specs: OptionSpec[], parsed: VerifyFlags, onWarning?: (text: string) => void): Promise<DriverOptions> {
  const config = parsed.config ? {file: parsed.config, values: await readConfigFile(parsed.config)} : undefined
  const {options, warnings} = resolveOptions(specs, {flags: parsed.flags, env: ctx.env, config, applyDefaults: true})
  ctx.redactor.add(...secretValues(options))
  for (const warning of warnings) onWarning?.(warning)
  return toDriverOptions(options, parsed.keyStyle ?? 'both', {sendUnset: true})
}

function writeJUnit(ctx: SessionContext, file: string, report: VerifyReport): void {
  try {
    writeFileSync(file, ctx.redactor.redact(toJUnitXml(report)))
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? describeError(error)
    throw new KeError('BAD_FLAG', `--junit ${file}: cannot write the report (${why})`, {hint: 'pass a file in a directory that exists and is writable'})
  }
}

/** Ctrl-C during the lifecycle: finish the call under way, remove what was made; twice: stop at once. */
function cleanUpGuard(ctx: SessionContext, say: (text: string) => void): CleanUpGuard {
  const stop = new AbortController()
  let remains: string | undefined
  let release = () => {}
  return {
    arm: () => {
      release = ctx.supervisor.defer({
        onFirst: () => {
          stop.abort()
          say(`interrupted: verify finishes the call under way, then removes what it made; press Ctrl-C again to stop at once${remains ? ` (${remains} would then remain)` : ''}`)
        },
        onSecond: () => say(remains ? `stopped at once: ${remains} may remain; remove it with the provider's own tools` : 'stopped at once: nothing verify made remains'),
      })
      return stop.signal
    },
    mayRemain: (what) => (remains = what),
    disarm: () => release(),
  }
}

/** A report cut short by Ctrl-C ends as an interruption (exit 130), saying whether the clean-up worked. */
export function interruptedVerify(report: VerifyReport, exit: number): KeError {
  const remove = report.checks.find((check) => check.name === 'lifecycle.remove')
  const cleaned = remove?.status === 'pass' ? 'what it made was removed' : remove?.status === 'fail' ? `its clean-up failed: ${remove.reason}` : 'it had made nothing'
  return new KeError('CANCELLED', `interrupted: verify of ${report.driver} stopped early; ${cleaned}`, {driver: report.driver, exit, result: report})
}

export async function runVerify(ctx: SessionContext, req: VerifyRequest): Promise<VerifyReport> {
  const started = await startForVerify(ctx, req.ref, req.timeouts, req.unparsed.full)
  if ('failure' in started) {
    if (req.unparsed.junit) writeJUnit(ctx, req.unparsed.junit, started.failure)
    return started.failure
  }
  const {driver, startedInMs} = started
  try {
    // the options become flags before the full parse; a failure here is reported by options.create-options
    const declared = await driver.getCreateOptions().catch(() => ({}))
    const specs = toOptionSpecs(knownTypeOptions(declared), driver.name, req.reservedFlags).filter((spec) => FLAG_NAME.test(spec.flagName))
    const parsed = await req.parse(specs)
    const createOptions = parsed.full ? await createOptionsOf(ctx, specs, parsed, req.onWarning) : undefined
    const report = await verifyDriver(driver, {
      full: parsed.full,
      checks: parsed.checks,
      createOptions,
      startedInMs,
      callTimeoutMs: req.timeouts.quickCallTimeoutMs,
      onCheck: req.onCheck,
      onSecret: (...values) => ctx.redactor.add(...values),
      cleanUpGuard: cleanUpGuard(ctx, (text) => req.onWarning?.(text)),
    })
    if (parsed.junit) writeJUnit(ctx, parsed.junit, report)
    return report
  } finally {
    await ctx.supervisor.stop(driver)
  }
}

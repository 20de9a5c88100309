// `ke create`: start the driver, turn its options into flags, parse, then run the create runbook.
import {readConfigFile} from '../driver/options/config-file.js'
import {resolveOptions, secretValues, storableValues, toDriverOptions, withoutSecrets, type KeyStyle, type ResolvedOption} from '../driver/options/option-values.js'
import {formatValue, toOptionSpecs} from '../driver/options/options.js'
import type {DriverOptions} from '../protocol/types.js'
import {logHeader} from '../driver/run/session.js'
import {KeError, isKeError} from '../errors.js'
import type {ClusterRecord, DriverReference} from '../store/cluster-record.js'
import {parseSetFlags} from '../driver/options/extra-options.js'
import {validateClusterName} from '../store/names.js'
import {driverOpener, type DriverSettings, type FlowContext, type NameBeforeDriver, type ParseWithDriverFlags, type SessionDriver} from './flow.js'
import {createLocked} from './lifecycle.js'
import {describeInfo, operationReport} from './operation-report.js'
import {withHostNames} from './request-options.js'
import {askForSecrets, type CreatePrompt} from './create-prompt.js'
import {assertCreatable} from './status.js'
import {boundDriver, chooseDriver, referenceTo, unboundReference} from './driver-binding.js'
import {dryRunOf, type DryRun} from './dry-run.js'

export interface CreateInput {
  driver?: string
  /** The name before the full parse: a busy cluster is turned away, a retry finds its stored driver. */
  name: NameBeforeDriver
  /** ke's own flag names: a driver option with one of these names becomes `--driver-<name>`. */
  reservedFlags: ReadonlySet<string>
  parse: ParseWithDriverFlags
  settings: DriverSettings
  /** Issue 8: asks for a missing driver, name or secret; only set at an interactive terminal. */
  prompt?: CreatePrompt
  /**
   * A typo of one of ke's own flags (`--drivr`): the reason no driver was given, when none was. Asked
   * only then: matching every driver flag against ke's own names cost each create ~0.5 ms.
   */
  misspelledFlag?: () => KeError | undefined
}

export type CreateOutcome = {dryRun: false; cluster: ClusterRecord; warnings: string[]; retried: boolean} | DryRun

/**
 * The driver of a retry given no --driver: the stored cluster's. With no certain name, the last
 * possible one that is stored (names mostly come last); the full parse must then confirm it.
 */
async function storedDriverOf(ctx: FlowContext, name: NameBeforeDriver): Promise<{cluster: string; ref: string} | undefined> {
  for (const candidate of name.certain === undefined ? [...name.possible].reverse() : [name.certain]) {
    try {
      if (!(await ctx.store.exists(candidate))) continue
      const ref = boundDriver((await ctx.store.load(candidate)).driver)
      return ref === undefined ? undefined : {cluster: candidate, ref}
    } catch {
      // not a valid name or unreadable: the full parse decides
    }
  }
  return undefined
}

/** What the command line asks for, once parsed and checked against the driver's options. */
interface CreatePlan {
  name: string
  displayName?: string
  resolved: ResolvedOption[]
  options: DriverOptions
  keyStyle: KeyStyle
  warnings: string[]
  dryRun: boolean
  /** Where the record says the driver is: the bound one, or a moved copy of it. */
  reference: DriverReference
}

export async function runCreate(ctx: FlowContext, input: CreateInput): Promise<CreateOutcome> {
  // a second ke on a busy cluster answers at once, before paying for a driver start
  if (input.name.certain !== undefined) await ctx.store.assertNotBusy(input.name.certain)
  const attach = input.settings.attach
  // another driver must not even start for a cluster bound to this one: it is refused first
  if (input.driver !== undefined && input.name.certain !== undefined) await refuseAnotherDriver(ctx, input.name.certain, input.driver, attach)
  const stored = input.driver === undefined && !attach ? await storedDriverOf(ctx, input.name) : undefined
  const ref = input.driver ?? (attach ? undefined : (stored?.ref ?? (await askForDriver(input))))
  if (!ref && !attach) {
    throw new KeError('MISSING_VALUE', 'no driver given', {hint: 'pass --driver PATH|NAME, e.g. `ke create --driver sample my-cluster`'})
  }
  if (ref) ctx.progress.activity?.(`Starting driver ${ref}`)
  const driver = await driverOpener(ctx)({ref, ...input.settings})
  if (attach) ctx.progress.stage(`Attached to the driver at ${attach} (ke neither starts nor stops it)`)
  const plan = await planCreate(ctx, input, driver, ref)
  if (stored && plan.name !== stored.cluster) throw driverOfAnotherCluster(stored.cluster, plan.name)
  if (plan.dryRun) return dryRunOf('create', plan.name, driver.name, withHostNames(plan.options, plan.name, plan.displayName ?? plan.name), plan.resolved, plan.warnings)
  return executeCreate(ctx, driver, plan)
}

/** The driver was taken from a stored cluster the full parse then found to be a flag's value. */
function driverOfAnotherCluster(guessed: string, name: string): KeError {
  return new KeError('BAD_ARGUMENT', `no driver given for ${name}: ${guessed} is a value of the driver's flags, not the cluster`, {
    cluster: name,
    hint: `pass --driver, or put the cluster name right after \`ke create\``,
  })
}

async function refuseAnotherDriver(ctx: FlowContext, name: string, driver: string, attach: string | undefined): Promise<void> {
  let existing: ClusterRecord
  try {
    if (!(await ctx.store.exists(name))) return
    existing = await ctx.store.load(name)
  } catch {
    // not a valid name or unreadable: the full parse and the plan report it
    return
  }
  chooseDriver(existing, {driver: referenceTo(driver, ctx.cwd), attach})
}

async function askForDriver(input: CreateInput): Promise<string | undefined> {
  const misspelled = input.misspelledFlag?.()
  if (misspelled) throw misspelled
  return input.prompt?.driver()
}

/** Parses the command line with the driver's options and resolves every value; changes nothing. */
async function planCreate(ctx: FlowContext, input: CreateInput, driver: SessionDriver, ref: string | undefined): Promise<CreatePlan> {
  const specs = toOptionSpecs(await driver.getCreateOptions(), driver.name, input.reservedFlags)
  const {toOclifFlags} = await import('../cli/driver-flags.js')
  const {args, flags} = await input.parse(toOclifFlags(specs), specs.map((spec) => spec.flagName))
  const given = args.name ?? (await input.prompt?.name())
  if (!given) throw new KeError('MISSING_VALUE', 'no cluster name given', {hint: 'e.g. `ke create --driver sample my-cluster`'})
  const name = validateClusterName(given)
  // the name is only now certain (the driver's flags may have hidden it): a busy cluster is turned away here
  await ctx.store.assertNotBusy(name)
  const config = flags.config ? {file: flags.config as string, values: await readConfigFile(flags.config)} : undefined
  const existing = (await ctx.store.exists(name)) ? await ctx.store.load(name) : undefined
  assertCreatable(existing)
  const reference = driverReferenceOf(ctx, existing, ref, input.settings.attach)
  const stored = existing && withoutSecrets(existing.options)
  const {options: resolved, warnings} = resolveOptions(specs, {flags, env: ctx.env, config, extras: parseSetFlags(flags, ctx.env), stored, applyDefaults: true})
  const reused = resolved.filter((option) => option.source === 'stored')
  if (existing?.info) ctx.progress.warn(`resuming ${name} from what its driver returned before (its ClusterInfo): the driver decides what of it to reuse`)
  if (reused.length) ctx.progress.warn(`retrying with options stored by the earlier create: ${reused.map((o) => `${o.name}=${formatValue(o.value)}`).join(', ')} (a flag given now wins)`)
  if (input.prompt) await askForSecrets(resolved, specs, input.prompt)
  ctx.redactor.add(...secretValues(resolved))
  const keyStyle = (flags['key-style'] ?? 'both') as KeyStyle
  const options = toDriverOptions(resolved, keyStyle, {sendUnset: true})
  return {name, displayName: flags['display-name'] ?? existing?.displayName, resolved, options, keyStyle, warnings, dryRun: Boolean(flags['dry-run']), reference}
}

/**
 * The driver the record names: a retry keeps the driver that made the cluster (another one is refused,
 * a moved copy recorded); --attach reaches a driver for this command only and binds nothing.
 */
function driverReferenceOf(ctx: FlowContext, existing: ClusterRecord | undefined, ref: string | undefined, attach: string | undefined): DriverReference {
  const given = ref === undefined ? undefined : referenceTo(ref, ctx.cwd)
  if (!existing) return given ?? unboundReference()
  return chooseDriver(existing, {driver: given, attach}).rebound ?? existing.driver
}

/** Takes the cluster's lock and runs the create runbook, with the driver's log going to the cluster. */
async function executeCreate(ctx: FlowContext, driver: SessionDriver, plan: CreatePlan): Promise<CreateOutcome> {
  for (const warning of plan.warnings) ctx.progress.warn(warning)
  const {name} = plan
  const request = {name, displayName: plan.displayName, driver: plan.reference, options: plan.options, storedOptions: storableValues(plan.resolved), keyStyle: plan.keyStyle}
  const report = operationReport(ctx, name, () => driver)
  const driverDone = () => ctx.supervisor.stopSoon(driver)
  const {cluster, retried} = await createLocked({...ctx, failureLog: report.failureLog, driverDone}, driver, request, () => {
    driver.logTo(ctx.store.logPath(name), logHeader('create', name, driver.name))
    driver.forCluster(name)
  }).catch(async (error: unknown) => {
    // the lock is released by now: the lifecycle recorded the failure, the report only tells it
    await report.failed(error, {writeRecord: false})
    if (!isKeError(error) || error.keCode !== 'CANCELLED') throw error
    throw withRetryHint(error, name, Boolean((await ctx.store.load(name).catch(() => undefined))?.info))
  })
  await report.succeeded(`cluster ${name} is Running${retried ? ' (a failed create retried)' : ''}${describeInfo(cluster)}`)
  ctx.progress.done(`Cluster ${name} is Running`)
  return {dryRun: false, cluster, warnings: plan.warnings, retried}
}

/**
 * An interrupted create is kept as Error: say how to go on from there. Only with the state the driver
 * returned (its ClusterInfo) can its Remove find what it made.
 */
function withRetryHint(error: KeError, name: string, hasInfo: boolean): KeError {
  const hint = hasInfo
    ? `\`ke create ${name}\` retries it, \`ke rm ${name}\` removes what was made`
    : `\`ke create ${name}\` retries it; the driver had not returned the cluster's state yet, so \`ke rm ${name}\` could only drop the record and leave what it made`
  return new KeError(error.keCode, error.message, {exit: error.exitCode, cluster: name, driver: error.driver, hint, cause: error})
}

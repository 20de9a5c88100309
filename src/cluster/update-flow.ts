// `ke update NAME`: the driver's update options become flags; what the user gives now is sent, with the
// stored create options as context and what kontainer-engine's host adds from the stored metadata.
import {readConfigFile} from '../driver/options/config-file.js'
import {parseSetFlags} from '../driver/options/extra-options.js'
import {logHeader} from '../driver/run/session.js'
import {markSecrets, resolveOptions, secretValues, storableValues, storedContext, toDriverOptions, withoutSecrets, type KeyStyle} from '../driver/options/option-values.js'
import {toOptionSpecs} from '../driver/options/options.js'
import {isSecretByName} from '../protocol/secret-names.js'
import {KeError} from '../errors.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {validateClusterName} from '../store/names.js'
import {dryRunOf, type DryRun} from './dry-run.js'
import type {DriverSettings, FlowContext, NameBeforeDriver, ParseWithDriverFlags} from './flow.js'
import {requireInfo, updateCluster} from './lifecycle.js'
import {updateMetadataValues, withHostNames, withUpdateMetadata} from './request-options.js'
import {refuseCreateOnlyOptions} from './update-options.js'
import {describeInfo} from './operation-report.js'
import {withClusterDriver} from './with-cluster.js'

export interface UpdateInput {
  /** The name before the full parse, which needs the stored cluster's driver. */
  name: NameBeforeDriver
  /** Flags ke does not declare, as written: to tell a create-only option from a mistyped one before the full parse. */
  unknownFlags: string[]
  reservedFlags: ReadonlySet<string>
  parse: ParseWithDriverFlags
  settings: DriverSettings
  driver?: string
}

export type UpdateOutcome = {dryRun: false; cluster: ClusterRecord; warnings: string[]} | DryRun

/** The certain name; with none, the first possible one that is stored (the full parse confirms it). */
async function findCluster(ctx: FlowContext, given: NameBeforeDriver): Promise<string> {
  const candidates = given.certain === undefined ? given.possible : [given.certain]
  for (const candidate of candidates) {
    try {
      validateClusterName(candidate)
      if (await ctx.store.exists(candidate)) return candidate
    } catch {
      // not a name
    }
  }
  const named = candidates[0]
  if (named === undefined) throw new KeError('MISSING_VALUE', 'no cluster name given', {hint: 'e.g. `ke update my-cluster --node-count 5`'})
  validateClusterName(named)
  // with driver flags before it, the word taken for the name may be a flag's value (`ke update --node-count 2`)
  const hint = given.certain === undefined ? `see \`ke ls\` for the clusters ke knows; if ${named} is a flag's value, put the cluster's name first: \`ke update NAME ...\`` : 'see `ke ls` for the clusters ke knows'
  throw new KeError('CLUSTER_NOT_FOUND', `cluster ${named} not found`, {cluster: named, hint})
}

export async function runUpdate(ctx: FlowContext, input: UpdateInput): Promise<UpdateOutcome> {
  const name = await findCluster(ctx, input.name)
  return withClusterDriver(ctx, name, {lock: true, deferLog: true, commandLine: `ke update ${name}`, driver: input.driver, ...input.settings}, async (driver, cluster, report) => {
    const specs = toOptionSpecs(await driver.getUpdateOptions(), driver.name, input.reservedFlags)
    const createSpecs = toOptionSpecs(await driver.getCreateOptions(), driver.name, input.reservedFlags)
    refuseCreateOnlyOptions(input.unknownFlags, createSpecs, specs, input.reservedFlags, driver.name, name)
    const {toOclifFlags} = await import('../cli/driver-flags.js')
    const {args, flags} = await input.parse(toOclifFlags(specs), specs.map((spec) => spec.flagName))
    if (args.name !== name) throw new KeError('BAD_ARGUMENT', `expected one cluster name, found ${JSON.stringify(args.name)} and ${JSON.stringify(name)}`, {hint: 'put NAME right after `ke update`'})
    const config = flags.config ? {file: flags.config as string, values: await readConfigFile(flags.config)} : undefined
    // given now (flags, --set, KE_OPT_*, --config) wins over the stored create options sent as context
    const storedValues = withoutSecrets(cluster.options)
    const stored = storedContext(storedValues, specs)
    const {options: unmarked, warnings} = resolveOptions(specs, {flags, env: ctx.env, config, extras: parseSetFlags(flags, ctx.env), stored, applyDefaults: false})
    // a secret declared only among the create options is still a secret when given on update
    const resolved = markSecrets(unmarked, createSpecs)
    ctx.redactor.add(...secretValues(resolved))
    const keyStyle = (flags['key-style'] ?? cluster.keyStyle ?? 'both') as KeyStyle
    const options = toDriverOptions(resolved, keyStyle, {sendUnset: false})
    if (flags['dry-run']) {
      const info = requireInfo(cluster, 'update')
      const sent = withHostNames(options, name, cluster.displayName ?? name)
      const added = updateMetadataValues(sent, info.metadata)
      ctx.redactor.add(...added.filter((v) => isSecretByName(v.key, v.type) && typeof v.value === 'string').map((v) => v.value as string))
      const all = [...resolved, ...added.map(({key, type, value, source}) => ({name: key, type, value, source, password: isSecretByName(key, type), declared: false}))]
      return dryRunOf('update', name, driver.name, withUpdateMetadata(sent, info.metadata), all, warnings, storedValues)
    }
    for (const warning of warnings) ctx.progress.warn(warning)
    driver.logTo(ctx.store.logPath(name), logHeader('update', name, driver.name))
    const driverDone = () => ctx.supervisor.stopSoon(driver)
    const updated = await updateCluster({...ctx, failureLog: report.failureLog, driverDone}, driver, cluster, {options, storedOptions: storableValues(resolved)})
    await report.succeeded(`cluster ${name} is Running${describeInfo(updated)}`)
    ctx.progress.done(`Cluster ${name} is Running`)
    return {dryRun: false, cluster: updated, warnings}
  })
}

// `ke update NAME`: the driver's update options become flags; only what the user gives is sent,
// plus what kontainer-engine's host adds from the stored metadata.
import {readConfigFile} from '../driver/config-file.js'
import {parseSetFlags} from '../driver/extra-options.js'
import {logHeader} from '../driver/session.js'
import {markSecrets, resolveOptions, secretValues, storableValues, storedContext, toDriverOptions, type KeyStyle} from '../driver/option-values.js'
import {toOptionSpecs} from '../driver/options.js'
import {KeError} from '../errors.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {validateClusterName} from '../store/names.js'
import type {DriverSettings, FlowContext, ParseWithDriverFlags} from './flow.js'
import {updateCluster} from './lifecycle.js'
import {withUpdateMetadata, withHostNames} from './request-options.js'
import {withClusterDriver} from './with-cluster.js'
import {requireInfo} from './lifecycle.js'
import type {DriverOptions} from '../driver/types.js'

export interface UpdateInput {
  nameCandidates: string[]
  reservedFlags: ReadonlySet<string>
  parse: ParseWithDriverFlags
  settings: DriverSettings
  driver?: string
}

export type UpdateOutcome = {dryRun: false; cluster: ClusterRecord; warnings: string[]} | {dryRun: true; name: string; options: DriverOptions; warnings: string[]}

function findCluster(ctx: FlowContext, candidates: string[]): string {
  for (const candidate of candidates) {
    try {
      validateClusterName(candidate)
      if (ctx.store.exists(candidate)) return candidate
    } catch {
      // not a name
    }
  }
  const named = candidates[0]
  if (named === undefined) throw new KeError('MISSING_VALUE', 'no cluster name given', {hint: 'e.g. `ke update my-cluster --node-count 5`'})
  validateClusterName(named)
  throw new KeError('CLUSTER_NOT_FOUND', `cluster ${named} not found`, {cluster: named, hint: 'see `ke ls` for the clusters ke knows'})
}

export async function runUpdate(ctx: FlowContext, input: UpdateInput): Promise<UpdateOutcome> {
  const name = findCluster(ctx, input.nameCandidates)
  return withClusterDriver(ctx, name, {lock: true, deferLog: true, commandLine: `ke update ${name}`, driver: input.driver, ...input.settings}, async (driver, cluster) => {
    const specs = toOptionSpecs(await driver.getUpdateOptions(), driver.name, input.reservedFlags)
    const {toOclifFlags} = await import('../ui/driver-flags.js')
    const {args, flags} = await input.parse(toOclifFlags(specs), specs.map((spec) => spec.flagName))
    if (args.name !== name) throw new KeError('BAD_ARGUMENT', `expected one cluster name, found ${JSON.stringify(args.name)} and ${JSON.stringify(name)}`, {hint: 'put NAME right after `ke update`'})
    const config = flags.config ? {file: flags.config as string, values: await readConfigFile(flags.config)} : undefined
    const {options: unmarked, warnings} = resolveOptions(specs, {flags, env: ctx.env, config, extras: [...parseSetFlags(flags), ...storedContext(cluster.options, specs)], applyDefaults: false})
    // a secret declared only among the create options is still a secret when given on update
    const resolved = markSecrets(unmarked, toOptionSpecs(await driver.getCreateOptions(), driver.name, input.reservedFlags))
    ctx.redactor.add(...secretValues(resolved))
    const keyStyle = (flags['key-style'] ?? cluster.keyStyle ?? 'both') as KeyStyle
    const options = toDriverOptions(resolved, keyStyle, {sendUnset: false})
    if (flags['dry-run']) {
      const info = requireInfo(cluster, 'update')
      return {dryRun: true, name, options: withUpdateMetadata(withHostNames(options, name, cluster.displayName ?? name), info.metadata), warnings}
    }
    for (const warning of warnings) ctx.progress.warn(warning)
    driver.running.log.attachFile(ctx.store.logPath(name), logHeader('update', name, driver.name))
    const updated = await updateCluster(ctx, driver, cluster, {options, storedOptions: storableValues(resolved)})
    ctx.progress.done(`Cluster ${name} is Running`)
    return {dryRun: false, cluster: updated, warnings}
  })
}

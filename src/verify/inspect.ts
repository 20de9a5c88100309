// `ke driver options` and `ke driver schema`: what a driver declares, as a table and as the API schema
// Rancher builds from it. Both read the raw DriverFlags, so an option of an unknown type still shows.
import {formatValue, toOptionSpecs, type OptionValue} from '../driver/options/options.js'
import {schemaDriverName, toRancherSchema, type RancherSchema} from '../driver/options/rancher-schema.js'
import {openDriver, type SessionContext} from '../driver/run/session.js'
import type {DriverFlags} from '../protocol/types.js'
import {REDACTED} from '../redact.js'
import type {StartTimeouts} from './start.js'
import {knownTypeOptions} from './verify.js'

export interface OptionRow {
  name: string
  type: string
  /** As ke applies it: Default.* when the message is present, else Flag.value parsed by type. */
  default?: OptionValue
  defaultSource?: 'default' | 'flag-value'
  password: boolean
  usage: string
}

export interface OptionsListing {
  driver: string
  kind: 'create' | 'update'
  options: OptionRow[]
}

/** Sorted rows; a secret's default is never shown. */
export function toOptionRows(flags: DriverFlags, driver: string): OptionRow[] {
  const specs = new Map(toOptionSpecs(knownTypeOptions(flags), driver).map((spec) => [spec.name, spec]))
  return Object.keys(flags)
    .sort()
    .map((name) => {
      const flag = flags[name]
      // unknown types and the options ke sets itself (name, displayName) have no spec: show Flag.value
      const spec = specs.get(name)
      const declared = spec ? spec.declaredDefault : flag.value ? {value: flag.value, source: 'flag-value' as const} : undefined
      const shown = declared && flag.password && formatValue(declared.value) !== '' ? REDACTED : declared?.value
      return {
        name,
        type: flag.type,
        ...(declared ? {default: shown, defaultSource: declared.source} : {}),
        password: flag.password,
        usage: flag.usage,
      }
    })
}

async function declaredOptions(ctx: SessionContext, ref: string, kind: 'create' | 'update', timeouts: StartTimeouts): Promise<{flags: DriverFlags; driver: string}> {
  const driver = await openDriver(ctx, {ref, ...timeouts})
  try {
    return {flags: kind === 'create' ? await driver.getCreateOptions() : await driver.getUpdateOptions(), driver: driver.name}
  } finally {
    await ctx.supervisor.stop(driver)
  }
}

export async function listDriverOptions(ctx: SessionContext, req: {ref: string; update: boolean; timeouts: StartTimeouts}): Promise<OptionsListing> {
  const kind = req.update ? 'update' : 'create'
  const {flags, driver} = await declaredOptions(ctx, req.ref, kind, req.timeouts)
  return {driver, kind, options: toOptionRows(flags, driver)}
}

/** The schema Rancher would store; `name` overrides the driver name taken from `ref`. */
export async function readRancherSchema(ctx: SessionContext, req: {ref: string; name?: string; timeouts: StartTimeouts}): Promise<RancherSchema> {
  const {flags} = await declaredOptions(ctx, req.ref, 'create', req.timeouts)
  return toRancherSchema(flags, req.name ?? schemaDriverName(req.ref))
}

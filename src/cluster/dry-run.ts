// What `--dry-run` reports for create and update: the exact DriverOptions and where each value came from.
import {redactOptions, type ResolvedOption} from '../driver/options/option-values.js'
import type {OptionValue, ValueSource} from '../driver/options/options.js'
import type {DriverOptions, FlagType} from '../protocol/types.js'
import {REDACTED} from '../redact.js'

export interface ValueOrigin {
  name: string
  type: FlagType
  /** `kept`: an update option not given now, so not sent; its value is the one the cluster keeps. */
  source: ValueSource | 'unset' | 'kept'
  value?: OptionValue
}

export interface DryRun {
  dryRun: true
  action: 'create' | 'update'
  name: string
  driver: string
  options: DriverOptions
  sources: ValueOrigin[]
  warnings: string[]
}

/**
 * Secrets redacted in both the sources and the DriverOptions. `kept` holds the stored values of an
 * update's options: one not given now is not sent, and the report shows the value it keeps, where
 * "unset" would read as if the cluster had none.
 */
export function dryRunOf(
  action: DryRun['action'],
  name: string,
  driver: string,
  options: DriverOptions,
  resolved: ResolvedOption[],
  warnings: string[],
  kept: Record<string, OptionValue> = {},
): DryRun {
  return {
    dryRun: true,
    action,
    name,
    driver,
    options: redactOptions(options, resolved),
    sources: resolved.map(({name, type, source, value, password}): ValueOrigin => {
      if (source === 'unset' && !password && kept[name] !== undefined) return {name, type, source: 'kept', value: kept[name]}
      return {name, type, source, value: password && value !== undefined ? REDACTED : value}
    }),
    warnings,
  }
}

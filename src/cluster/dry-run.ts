// What `--dry-run` reports for create and update: the exact DriverOptions and where each value came from.
import {redactOptions, type ResolvedOption} from '../driver/options/option-values.js'
import type {OptionValue, ValueSource} from '../driver/options/options.js'
import type {DriverOptions, FlagType} from '../protocol/types.js'
import {REDACTED} from '../redact.js'

export interface ValueOrigin {
  name: string
  type: FlagType
  source: ValueSource | 'unset'
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

/** Secrets redacted in both the sources and the DriverOptions. */
export function dryRunOf(action: DryRun['action'], name: string, driver: string, options: DriverOptions, resolved: ResolvedOption[], warnings: string[]): DryRun {
  return {
    dryRun: true,
    action,
    name,
    driver,
    options: redactOptions(options, resolved),
    sources: resolved.map(({name, type, source, value, password}) => ({name, type, source, value: password && value !== undefined ? REDACTED : value})),
    warnings,
  }
}

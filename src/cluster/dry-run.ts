// What `--dry-run` reports for create and update: the exact DriverOptions and where each value came from.
import {redactOptions, zeroValue, type ResolvedOption} from '../driver/options/option-values.js'
import {camelCase, type OptionValue, type ValueSource} from '../driver/options/options.js'
import type {DriverOptions, FlagType} from '../protocol/types.js'
import {REDACTED} from '../redact.js'

export interface ValueOrigin {
  name: string
  type: FlagType
  source: ValueSource | 'unset'
  /** What is sent: for an option unset on create, its type's zero (Create sends one), else nothing. */
  value?: OptionValue
  /**
   * For an update option not given now (so not sent, and left as the driver has it): the value the
   * cluster's record keeps from its last create or update. What the cluster has may differ since
   * (`ke size set`, `ke version set`, changes made outside ke).
   */
  stored?: OptionValue
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
 * Secrets redacted in both the sources and the DriverOptions. `stored` holds the cluster's stored
 * options on update: an option not given is not sent, and the report names the value stored for it,
 * where "unset" alone read as if the cluster had none.
 */
export function dryRunOf(
  action: DryRun['action'],
  name: string,
  driver: string,
  options: DriverOptions,
  resolved: ResolvedOption[],
  warnings: string[],
  stored: Record<string, OptionValue> = {},
): DryRun {
  return {
    dryRun: true,
    action,
    name,
    driver,
    options: redactOptions(options, resolved),
    sources: resolved.map(({name, type, source, value, password}): ValueOrigin => {
      const kept = source === 'unset' && !password ? (stored[name] ?? stored[camelCase(name)]) : undefined
      if (kept !== undefined) return {name, type, source, stored: kept}
      // a zero is no secret, and "unset" with no value read as if nothing were sent
      if (source === 'unset' && action === 'create') return {name, type, source, value: zeroValue(type)}
      return {name, type, source, value: password && value !== undefined ? REDACTED : value}
    }),
    warnings,
  }
}

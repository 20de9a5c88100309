// A driver's declared options (DriverFlags) as ke sees them: validated, sorted, with their declared
// default resolved the way existing drivers expect (PROTOCOL.md "Defaults").
import {KeError} from '../../errors.js'
import {camelCase} from '../../protocol/option-names.js'

export {camelCase, envVarFor} from '../../protocol/option-names.js'
import {FLAG_TYPES, type DriverFlag, type DriverFlags, type FlagType} from '../../protocol/types.js'

export type {OptionValue} from '../../protocol/types.js'
import type {OptionValue} from '../../protocol/types.js'

/** Where an option's value came from; shown by `--dry-run`. */
export type ValueSource = 'flag' | 'env' | 'config' | 'set' | 'default' | 'flag-value' | 'stored' | 'state' | 'metadata' | 'ke'

export interface OptionSpec {
  /** The name as the driver declares it (usually kebab-case). */
  name: string
  /** The CLI flag: the name, unless it collides with one of ke's own flags. */
  flagName: string
  type: FlagType
  usage: string
  password: boolean
  declaredDefault?: {value: OptionValue; source: 'default' | 'flag-value'}
}

export function isPointerType(type: FlagType): boolean {
  return type === 'intPtr' || type === 'boolPtr'
}

export function isFlagType(type: string): type is FlagType {
  return (FLAG_TYPES as readonly string[]).includes(type)
}

/** Options ke fills in itself, never exposed as flags. */
export const HOST_SET_OPTIONS = new Set(['name', 'displayName', 'display-name'])

/** Written as a whole number (a sign, digits, spaces around), whatever its size. */
export function isWrittenAsInteger(text: string): boolean {
  return /^[+-]?\d+$/.test(text.trim())
}

export function parseIntValue(text: string): number | undefined {
  if (!isWrittenAsInteger(text)) return undefined
  const value = Number(text.trim())
  return Number.isSafeInteger(value) ? value : undefined
}

export function parseBoolValue(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(lower)) return true
  if (['false', '0', 'no', 'off'].includes(lower)) return false
  return undefined
}

export function splitList(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '')
}

/** The default a driver declares: `Default.*` when the message is present, else `Flag.value` by type. */
function declaredDefaultOf(flag: DriverFlag, type: FlagType): OptionSpec['declaredDefault'] {
  if (flag.default) {
    switch (type) {
      case 'string':
        return {value: flag.default.defaultString, source: 'default'}
      case 'int':
      case 'intPtr':
        return {value: flag.default.defaultInt, source: 'default'}
      case 'bool':
      case 'boolPtr':
        return {value: flag.default.defaultBool, source: 'default'}
      case 'stringSlice':
        return {value: flag.default.defaultStringSlice, source: 'default'}
    }
  }
  if (!flag.value) return undefined
  switch (type) {
    case 'string':
      return {value: flag.value, source: 'flag-value'}
    case 'int':
    case 'intPtr': {
      const value = parseIntValue(flag.value)
      return value === undefined ? undefined : {value, source: 'flag-value'}
    }
    case 'bool':
    case 'boolPtr': {
      const value = parseBoolValue(flag.value)
      return value === undefined ? undefined : {value, source: 'flag-value'}
    }
    case 'stringSlice':
      return {value: splitList(flag.value), source: 'flag-value'}
  }
}

/**
 * Validates and sorts a driver's options. An unknown type is an error: silently skipping it would
 * hide an option the driver needs.
 */
export function toOptionSpecs(flags: DriverFlags, driver: string, reservedFlags: ReadonlySet<string> = new Set()): OptionSpec[] {
  return Object.keys(flags)
    .filter((name) => !HOST_SET_OPTIONS.has(name))
    .sort()
    .map((name) => {
      const flag = flags[name]
      if (!isFlagType(flag.type)) {
        throw new KeError('UNKNOWN_FLAG_TYPE', `driver ${driver} declares option ${name} with unknown type "${flag.type}"`, {
          driver,
          hint: `known types: ${FLAG_TYPES.join(', ')}; this is a driver bug, report it to its author`,
        })
      }
      return {
        name,
        flagName: reservedFlags.has(name) ? `driver-${name}` : name,
        type: flag.type,
        usage: flag.usage,
        password: flag.password,
        declaredDefault: declaredDefaultOf(flag, flag.type),
      }
    })
}

export function formatValue(value: OptionValue | undefined): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.join(',')
  return String(value)
}

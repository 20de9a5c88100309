// Turns what the user gave (flags, environment, --config, --set) into the DriverOptions a driver
// receives, remembering where each value came from.
import {KeError} from '../../errors.js'
import type {ConfigValues} from './config-file.js'
import {secretLookingSets} from './extra-options.js'
import {
  camelCase,
  envVarFor,
  isPointerType,
  parseBoolValue,
  isWrittenAsInteger,
  parseIntValue,
  splitList,
  type OptionSpec,
  type OptionValue,
  type ValueSource,
} from './options.js'
import {REDACTED} from '../../redact.js'
import {nearestName} from '../../nearest-name.js'
import {isSecretByName, isSecretOption} from '../../protocol/secret-names.js'
import {emptyDriverOptions, type DriverOptions, type FlagType} from '../../protocol/types.js'

export {KEY_STYLES, type KeyStyle} from '../../protocol/types.js'
import type {KeyStyle} from '../../protocol/types.js'

export interface ResolvedOption {
  name: string
  type: FlagType
  value?: OptionValue
  source: ValueSource | 'unset'
  password: boolean
  declared: boolean
}

/** A value for an option the driver reads but does not declare (`--set`, undeclared config keys). */
export interface ExtraValue {
  name: string
  type: FlagType
  value: OptionValue
  source: ValueSource
  /** --set-secret: never stored or printed. */
  password?: boolean
}

export interface OptionInputs {
  /** oclif's parsed flags, keyed by flag name; undefined means "not given". */
  flags: Record<string, unknown>
  env: NodeJS.ProcessEnv
  config?: {file: string; values: ConfigValues}
  extras?: ExtraValue[]
  /**
   * Values kept from an earlier run of this cluster (a retried create; on update, the create options
   * sent along as context). The lowest of the given sources: anything given now wins.
   */
  stored?: Record<string, OptionValue>
  /** Create applies declared defaults; update sends only what was given. */
  applyDefaults: boolean
}

type Origin = {kind: 'flag'; flag: string} | {kind: 'env'; variable: string} | {kind: 'config'; file: string; key: string}

function badValue(origin: Origin, spec: OptionSpec, what: string, got: string): KeError {
  const shown = isSecretOption(spec) ? '<redacted>' : JSON.stringify(got)
  if (origin.kind === 'config') {
    return new KeError('BAD_CONFIG', `config file ${origin.file}: key ${origin.key} must be ${what}, got ${shown}`, {hint: `fix ${origin.key} in ${origin.file}`})
  }
  const where = origin.kind === 'flag' ? `--${origin.flag}` : origin.variable
  return new KeError('BAD_FLAG', `${where} must be ${what}, got ${shown}`, {hint: `e.g. ${origin.kind === 'flag' ? `--${origin.flag} ` : `${where}=`}${exampleFor(spec.type)}`})
}

function exampleFor(type: FlagType): string {
  if (type === 'int' || type === 'intPtr') return '3'
  if (type === 'bool' || type === 'boolPtr') return 'true'
  if (type === 'stringSlice') return 'a,b'
  return 'value'
}

/** Converts one raw value to the option's type, or throws a usage error naming where it came from. */
function coerce(spec: OptionSpec, raw: unknown, origin: Origin): OptionValue {
  switch (spec.type) {
    case 'string':
      if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
      throw badValue(origin, spec, 'a string', JSON.stringify(raw))
    case 'int':
    case 'intPtr': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw
      const value = typeof raw === 'string' ? parseIntValue(raw) : undefined
      // the range is news only to a value written as a whole number (to "three" it is noise), and never
      // said of a secret: it would tell that the secret is digits
      const range = !isSecretOption(spec) && isWrittenAsInteger(String(raw)) ? ` between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` : ''
      if (value === undefined) throw badValue(origin, spec, `a whole number${range}`, String(raw))
      return value
    }
    case 'bool':
    case 'boolPtr': {
      if (typeof raw === 'boolean') return raw
      const value = typeof raw === 'string' ? parseBoolValue(raw) : undefined
      if (value === undefined) throw badValue(origin, spec, 'true or false', String(raw))
      return value
    }
    case 'stringSlice':
      // list items pass through verbatim: drivers take packed values (`uuid=size,disk`, JSON per item);
      // only a single text (environment) is split on commas (oclif already split repeated flags)
      if (Array.isArray(raw)) return raw.map((item) => String(item))
      if (typeof raw === 'string') return splitList(raw)
      throw badValue(origin, spec, 'a list of strings', JSON.stringify(raw))
  }
}

function configValueFor(spec: OptionSpec, config: ConfigValues): [string, OptionValue] | undefined {
  for (const key of [spec.name, camelCase(spec.name)]) {
    const value = config.get(key)
    if (value !== undefined) return [key, value]
  }
  return undefined
}

function resolveOne(spec: OptionSpec, inputs: OptionInputs): ResolvedOption {
  const base = {name: spec.name, type: spec.type, password: isSecretOption(spec), declared: true}
  const fromFlag = inputs.flags[spec.flagName]
  if (fromFlag !== undefined) return {...base, value: coerce(spec, fromFlag, {kind: 'flag', flag: spec.flagName}), source: 'flag'}
  // a repeated --set: the last one given wins, as with any repeated flag
  const extra = [...(inputs.extras ?? [])].reverse().find((e) => e.name === spec.name || e.name === camelCase(spec.name))
  if (extra) return {...base, value: coerce(spec, extra.value, {kind: 'flag', flag: 'set'}), source: extra.source, password: base.password || Boolean(extra.password)}
  const variable = envVarFor(spec.name)
  const fromEnv = inputs.env[variable]
  if (fromEnv !== undefined && fromEnv !== '') return {...base, value: coerce(spec, fromEnv, {kind: 'env', variable}), source: 'env'}
  const fromConfig = inputs.config && configValueFor(spec, inputs.config.values)
  if (fromConfig) {
    const [key, raw] = fromConfig
    return {...base, value: coerce(spec, raw, {kind: 'config', file: inputs.config!.file, key}), source: 'config'}
  }
  const stored = base.password ? undefined : inputs.stored?.[spec.name]
  if (stored !== undefined) return {...base, value: stored, source: isDefaultValue(spec, stored) ? spec.declaredDefault!.source : 'stored'}
  if (inputs.applyDefaults && spec.declaredDefault) return {...base, value: spec.declaredDefault.value, source: spec.declaredDefault.source}
  return {...base, source: 'unset'}
}

/** A stored value equal to the declared default came from that default: a retry need not name it. */
function isDefaultValue(spec: OptionSpec, value: OptionValue): boolean {
  return spec.declaredDefault !== undefined && JSON.stringify(spec.declaredDefault.value) === JSON.stringify(value)
}

function inferType(value: OptionValue): FlagType {
  if (Array.isArray(value)) return 'stringSlice'
  if (typeof value === 'number') return 'int'
  if (typeof value === 'boolean') return 'bool'
  return 'string'
}

/** Every declared option name, in both spellings. */
export function declaredNames(specs: OptionSpec[]): Set<string> {
  return new Set(specs.flatMap((spec) => [spec.name, camelCase(spec.name)]))
}

/**
 * Options the driver does not declare (`--set`, undeclared config keys, stored ones), one per name in
 * either spelling, by the same precedence as declared ones: `--set` > KE_OPT_* > --config > stored.
 */
function resolveUndeclared(specs: OptionSpec[], inputs: OptionInputs): ResolvedOption[] {
  const declared = declaredNames(specs)
  const chosen = new Map<string, ResolvedOption>()
  const offer = (name: string, type: FlagType, value: OptionValue, source: ValueSource, secret = false) => {
    const key = camelCase(name)
    if (declared.has(name) || declared.has(key) || chosen.has(key)) return
    chosen.set(key, {name, type, value, source, password: secret || isSecretByName(name, type), declared: false})
  }
  for (const extra of [...(inputs.extras ?? [])].reverse()) offer(extra.name, extra.type, extra.value, extra.source, extra.password)
  const fromConfig = undeclaredConfigValues(specs, inputs)
  const stored = Object.entries(inputs.stored ?? {}).filter(([name]) => !HOST_KEYS.has(name))
  for (const [name, value] of [...fromConfig.map((e) => [e.name, e.value] as const), ...stored]) {
    const variable = envVarFor(name)
    const text = inputs.env[variable]
    if (text === undefined || text === '') continue
    const type = inferType(value)
    const spec = {name, flagName: name, type, usage: '', password: isSecretByName(name, type)}
    offer(name, type, coerce(spec, text, {kind: 'env', variable}), 'env')
  }
  for (const extra of fromConfig) offer(extra.name, extra.type, extra.value, 'config')
  for (const [name, value] of stored) offer(name, inferType(value), value, 'stored')
  return [...chosen.values()]
}

/** Keys ke sends itself (`name`, `displayName`): never taken from a config file or the record. */
const HOST_KEYS = new Set(['name', 'displayName'])

/** Keys in a config file that match no declared option: passed through, and named in a warning. */
function undeclaredConfigValues(specs: OptionSpec[], inputs: OptionInputs): ExtraValue[] {
  if (!inputs.config) return []
  const known = declaredNames(specs)
  return [...inputs.config.values]
    .filter(([key]) => !known.has(key) && !HOST_KEYS.has(key))
    .map(([key, value]) => ({name: key, type: inferType(value), value, source: 'config' as const}))
}

/** Undeclared keys are sent (a driver may read more than it declares), but one may be a typo of a declared one. */
function undeclaredConfigWarning(file: string, keys: string[], declared: string[]): string {
  const typos = keys.flatMap((key) => {
    const near = nearestName(key, declared)
    return near ? [keys.length === 1 ? near : `${near} for ${key}`] : []
  })
  const guess = typos.length ? ` (did you mean ${typos.join(', ')}?)` : ''
  return `config file ${file}: ${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} not declared by the driver; sent as given${guess}`
}

export interface ResolvedOptions {
  options: ResolvedOption[]
  warnings: string[]
}

export function resolveOptions(specs: OptionSpec[], inputs: OptionInputs): ResolvedOptions {
  const options = [...specs.map((spec) => resolveOne(spec, inputs)), ...resolveUndeclared(specs, inputs)]
  const warnings: string[] = []
  const declared = declaredNames(specs)
  const fromConfig = undeclaredConfigValues(specs, inputs).map((extra) => extra.name)
  if (fromConfig.length) warnings.push(undeclaredConfigWarning(inputs.config!.file, fromConfig, [...declared]))
  warnings.push(...secretLookingSets(declared, inputs.extras ?? []))
  return {options, warnings}
}

/** What a Create sends for an option nobody set (sendUnset): its type's zero, nothing for a pointer type. */
export function zeroValue(type: FlagType): OptionValue | undefined {
  if (isPointerType(type)) return undefined
  if (type === 'string') return ''
  if (type === 'int') return 0
  if (type === 'bool') return false
  return []
}

function keysFor(name: string, style: KeyStyle): string[] {
  const camel = camelCase(name)
  if (style === 'declared' || camel === name) return [name]
  if (style === 'camel') return [camel]
  return [name, camel]
}

function put(options: DriverOptions, type: FlagType, key: string, value: OptionValue): void {
  if (type === 'string') options.stringOptions[key] = String(value)
  else if (type === 'int' || type === 'intPtr') options.intOptions[key] = Number(value)
  else if (type === 'bool' || type === 'boolPtr') options.boolOptions[key] = Boolean(value)
  else options.stringSliceOptions[key] = Array.isArray(value) ? value : [String(value)]
}

/**
 * The DriverOptions to send. By default each value goes under both the declared name and Rancher's
 * camelCase name: drivers in the wild read some options under one spelling only.
 */
export function toDriverOptions(resolved: ResolvedOption[], style: KeyStyle, opts: {sendUnset: boolean}): DriverOptions {
  const options = emptyDriverOptions()
  for (const option of resolved) {
    const value = option.value ?? (opts.sendUnset ? zeroValue(option.type) : undefined)
    if (value === undefined) continue
    for (const key of keysFor(option.name, style)) put(options, option.type, key, value)
  }
  return options
}

/**
 * Stored create options to send along with an update, as Rancher sends a cluster's whole config:
 * drivers read e.g. their region from it. Options the driver lists as updatable are left out (unless
 * given now), so a setting changed since create (`ke size set`) is not silently reverted.
 */
export function storedContext(stored: Record<string, OptionValue>, updatable: OptionSpec[]): Record<string, OptionValue> {
  const skip = new Set(updatable.flatMap((spec) => [spec.name, camelCase(spec.name)]))
  return Object.fromEntries(Object.entries(stored).filter(([name]) => !skip.has(name) && !skip.has(camelCase(name))))
}

/** Values worth keeping with the cluster: everything set, except secrets. */
export function storableValues(resolved: ResolvedOption[]): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {}
  for (const option of resolved) if (option.value !== undefined && !option.password) out[option.name] = option.value
  return out
}

/** Marks values whose name (in either spelling) another option list declares as a password. */
export function markSecrets(resolved: ResolvedOption[], specs: OptionSpec[]): ResolvedOption[] {
  const secret = new Set(specs.filter((spec) => spec.password).flatMap((spec) => [spec.name, camelCase(spec.name)]))
  return resolved.map((option) => (secret.has(option.name) || secret.has(camelCase(option.name)) ? {...option, password: true} : option))
}

export function secretValues(resolved: ResolvedOption[]): string[] {
  return resolved.filter((option) => option.password && typeof option.value === 'string').map((option) => option.value as string)
}

/** Stored values without any whose name looks secret (records written before ke knew that rule). */
export function withoutSecrets(stored: Record<string, OptionValue>): Record<string, OptionValue> {
  return Object.fromEntries(Object.entries(stored).filter(([name, value]) => !isSecretByName(name, typeof value === 'string' ? 'string' : 'other')))
}

/** DriverOptions as shown to a user: password options and keys named like secrets, in any spelling, redacted. */
export function redactOptions(options: DriverOptions, resolved: ResolvedOption[]): DriverOptions {
  const secret = new Set(resolved.filter((o) => o.password).flatMap((o) => [o.name, camelCase(o.name)]))
  const stringOptions = {...options.stringOptions}
  for (const [key, value] of Object.entries(stringOptions)) {
    if (value && (secret.has(key) || isSecretByName(key, 'string'))) stringOptions[key] = REDACTED
  }
  return {...options, stringOptions}
}

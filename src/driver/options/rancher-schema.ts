// The API schema Rancher builds from a driver's create options when the driver is activated, by
// Rancher's own rules (PROTOCOL.md "How Rancher turns create options into its API schema (exact)").
// Pure: DriverFlags and a driver name in, the schema Rancher stores out. UI authors build against it.
import {basename} from 'node:path'
import {KeError} from '../../errors.js'
import {DRIVER_PREFIX} from '../install/locate.js'
import type {DriverFlag, DriverFlags} from '../../protocol/types.js'

/** Rancher's `Values`: all four keys are always stored (Go struct, no omitempty); a nil slice is null. */
export interface RancherDefault {
  stringValue: string
  intValue: number
  boolValue: boolean
  stringSliceValue: string[] | null
}

/** Rancher's `Field`, with only the keys this conversion sets, in Go's field order. */
export interface RancherField {
  type: 'string' | 'password' | 'int' | 'boolean' | 'array[string]'
  default: RancherDefault
  create: true
  update: true
  /** Omitted when empty (omitempty in Rancher's Go type). */
  description?: string
}

/** The `spec` of the DynamicSchema Rancher stores for a cluster driver. */
export interface RancherSchema {
  schemaName: string
  resourceFields: Record<string, RancherField>
}

export type SchemaProblemKind = 'unknown-type' | 'empty-part' | 'duplicate-field'

export interface SchemaProblem {
  option: string
  kind: SchemaProblemKind
  message: string
}

/** The field Rancher adds to every cluster driver's schema. */
export const DRIVER_NAME_FIELD = 'driverName'

function noDefault(): RancherDefault {
  return {stringValue: '', intValue: 0, boolValue: false, stringSliceValue: null}
}

/**
 * Rancher's toLowerCamelCase: split on '-', upper-case the first letter of each later part, join.
 * Underscores and existing capitals stay. An empty later part (`a--b`, `a-`) makes Rancher's Go code
 * index past the end of an empty string, so it is reported instead (undefined).
 */
export function rancherFieldName(option: string): string | undefined {
  const [first, ...rest] = option.split('-')
  if (rest.some((part) => part === '')) return undefined
  return first + rest.map((part) => part[0].toUpperCase() + part.slice(1)).join('')
}

/** Rancher's toResourceField, minus the name: undefined for a type Rancher refuses. */
export function rancherField(flag: DriverFlag): RancherField | undefined {
  const value = noDefault()
  const field = (type: RancherField['type']): RancherField => ({
    type,
    default: value,
    create: true,
    update: true,
    ...(flag.usage ? {description: flag.usage} : {}),
  })
  switch (flag.type) {
    case 'string':
      // Flag.value is the default, unless the `default` message is present at all: then defaultString
      // replaces it, even when empty.
      value.stringValue = flag.default ? flag.default.defaultString : flag.value
      return field(flag.password ? 'password' : 'string')
    case 'int':
    case 'intPtr':
      if (flag.default) value.intValue = flag.default.defaultInt
      return field('int')
    case 'bool':
    case 'boolPtr':
      if (flag.default) value.boolValue = flag.default.defaultBool
      return field('boolean')
    case 'stringSlice':
      if (flag.default) value.stringSliceValue = [...flag.default.defaultStringSlice]
      return field('array[string]')
    default:
      return undefined
  }
}

/** Everything in `flags` that keeps Rancher from building the schema (it does not activate the driver). */
export function rancherSchemaProblems(flags: DriverFlags): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  const byField = new Map<string, string[]>()
  for (const option of Object.keys(flags).sort()) {
    const flag = flags[option]
    if (!rancherField(flag)) {
      problems.push({option, kind: 'unknown-type', message: `option ${option} has type ${JSON.stringify(flag.type)}, which Rancher does not know`})
    }
    const field = rancherFieldName(option)
    if (field === undefined) {
      problems.push({option, kind: 'empty-part', message: `option name ${JSON.stringify(option)} has an empty part between dashes, which crashes Rancher`})
      continue
    }
    byField.set(field, [...(byField.get(field) ?? []), option])
  }
  for (const [field, options] of byField) {
    // Rancher fills a map in Go's random order: which option keeps the field differs between runs
    if (options.length > 1) problems.push({option: options[0], kind: 'duplicate-field', message: `options ${options.join(' and ')} all become field ${field}: Rancher keeps one of them at random`})
  }
  return problems
}

function problemError(driverName: string, problem: SchemaProblem): KeError {
  const hint = `this is a driver bug, report it to its author; \`ke driver verify --driver ${driverName}\` lists every problem`
  // An unknown type is the same error ke create gives; name problems have no closer code than this.
  const code = problem.kind === 'unknown-type' ? 'UNKNOWN_FLAG_TYPE' : 'VERIFY_FAILED'
  return new KeError(code, `driver ${driverName}: ${problem.message}`, {driver: driverName, hint})
}

/**
 * The schema Rancher stores for driver `driverName` with create options `flags`. Throws KeError for
 * the first problem that would keep Rancher from activating the driver.
 */
export function toRancherSchema(flags: DriverFlags, driverName: string): RancherSchema {
  const [problem] = rancherSchemaProblems(flags)
  if (problem) throw problemError(driverName, problem)
  const resourceFields: Record<string, RancherField> = {}
  for (const [option, flag] of Object.entries(flags)) resourceFields[rancherFieldName(option)!] = rancherField(flag)!
  // added last, as Rancher does: it replaces an option of the same name
  resourceFields[DRIVER_NAME_FIELD] = {type: 'string', default: {...noDefault(), stringValue: driverName}, create: true, update: true}
  return {schemaName: `${driverName}EngineConfig`, resourceFields: sortKeys(resourceFields)}
}

/** Go's encoding/json writes map keys sorted (byte order). */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const key of Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = record[key]
  return out
}

/**
 * The name Rancher gives the driver: a built-in or installed name as given, for a file the part of its
 * name after `kontainer-engine-driver-`, else the file's base name.
 */
export function schemaDriverName(ref: string): string {
  const isPath = ref.includes('/') || ref.startsWith('.')
  const name = isPath ? basename(ref) : ref
  return name.startsWith(DRIVER_PREFIX) && name.length > DRIVER_PREFIX.length ? name.slice(DRIVER_PREFIX.length) : name
}

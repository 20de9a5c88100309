// The options checks: pure functions over the DriverFlags a driver declares. They read the raw flags
// (never toOptionSpecs, which throws on an unknown type) so that every problem is reported, not the first.
import {isFlagType, parseBoolValue, parseIntValue} from '../driver/options/options.js'
import {DRIVER_NAME_FIELD, rancherFieldName} from '../driver/options/rancher-schema.js'
import {type DriverFlag, type DriverFlags, type FlagDefault, type FlagType} from '../protocol/types.js'
import {fail, pass, warn, type CheckName, type Outcome} from './checks.js'
import {isSecretByName} from '../protocol/secret-names.js'

export {looksSecret} from '../protocol/secret-names.js'

/** The option sets a driver declares; update is absent when GetDriverUpdateOptions failed. */
export interface DeclaredOptions {
  create: DriverFlags
  update?: DriverFlags
}

interface Named {
  kind: 'create' | 'update'
  /** `create option x` / `update option x`, for reasons. */
  label: string
  name: string
  flag: DriverFlag
}

function eachOption(declared: DeclaredOptions): Named[] {
  const sets: Array<['create' | 'update', DriverFlags | undefined]> = [['create', declared.create], ['update', declared.update]]
  return sets.flatMap(([kind, flags]) =>
    Object.keys(flags ?? {})
      .sort()
      .map((name) => ({kind, label: `${kind} option ${JSON.stringify(name)}`, name, flag: flags![name]})),
  )
}

/** Findings become one outcome: any problem fails, else any note warns, else it passes. */
function outcomeOf(problems: string[], notes: string[], passed: string): Outcome {
  if (problems.length) return fail([...problems, ...notes].join('; '))
  if (notes.length) return warn(notes.join('; '))
  return pass(passed)
}

function checkTypes(options: Named[]): Outcome {
  const problems = options
    .filter((o) => !isFlagType(o.flag.type))
    .map((o) => `${o.label} has type ${JSON.stringify(o.flag.type)}, which neither Rancher nor ke knows`)
  return outcomeOf(problems, [], `${options.length} ${options.length === 1 ? 'option' : 'options'} (create and update), all of known types`)
}

/** The Default field each type reads; the other three are ignored by Rancher and ke. */
const DEFAULT_FIELD: Record<FlagType, keyof FlagDefault> = {
  string: 'defaultString',
  int: 'defaultInt',
  intPtr: 'defaultInt',
  bool: 'defaultBool',
  boolPtr: 'defaultBool',
  stringSlice: 'defaultStringSlice',
}

const DEFAULT_FIELDS: Array<keyof FlagDefault> = ['defaultString', 'defaultInt', 'defaultBool', 'defaultStringSlice']

function isSet(value: FlagDefault[keyof FlagDefault]): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value)
}

function defaultFindings(o: Named, type: FlagType, problems: string[], notes: string[]): void {
  const {flag, label} = o
  const field = DEFAULT_FIELD[type]
  if (flag.default) {
    const wrong = DEFAULT_FIELDS.filter((f) => f !== field && isSet(flag.default![f]))
    if (wrong.length && !isSet(flag.default[field])) problems.push(`${label} is ${type} but its default is in ${wrong.join(', ')}: Rancher and ke read only ${field}`)
  }
  if (flag.value === '') return
  // Rancher builds its API (and its defaults) from the create options only
  const rancherShows = o.kind === 'create'
  if ((type === 'int' || type === 'intPtr') && parseIntValue(flag.value) === undefined) problems.push(`${label} is ${type} but Flag.value ${JSON.stringify(flag.value)} is not a whole number`)
  else if ((type === 'bool' || type === 'boolPtr') && parseBoolValue(flag.value) === undefined) problems.push(`${label} is ${type} but Flag.value ${JSON.stringify(flag.value)} is not true or false`)
  else if (rancherShows && type === 'string' && flag.default && flag.default.defaultString !== flag.value) {
    notes.push(`${label}: Rancher and ke use Default ${JSON.stringify(flag.default.defaultString)}, the old kontainer-engine CLI Flag.value ${JSON.stringify(flag.value)}`)
  } else if (rancherShows && type !== 'string' && !flag.default) {
    notes.push(`${label}: Rancher ignores Flag.value ${JSON.stringify(flag.value)} for ${type} options; declare it in Default.${field}`)
  }
}

function checkDefaults(options: Named[]): Outcome {
  const problems: string[] = []
  const notes: string[] = []
  for (const o of options) if (isFlagType(o.flag.type)) defaultFindings(o, o.flag.type, problems, notes)
  return outcomeOf(problems, notes, 'every declared default has its option\'s type')
}

function checkUniqueNames(declared: DeclaredOptions): Outcome {
  const problems: string[] = []
  for (const [kind, flags] of [['create', declared.create], ['update', declared.update]] as const) {
    const byField = new Map<string, string[]>()
    for (const name of Object.keys(flags ?? {}).sort()) {
      const field = rancherFieldName(name)
      if (field !== undefined) byField.set(field, [...(byField.get(field) ?? []), name])
    }
    for (const [field, names] of byField) {
      if (names.length > 1) problems.push(`${kind} options ${names.map((n) => JSON.stringify(n)).join(' and ')} all become ${field}`)
    }
    if (kind === 'create' && byField.has(DRIVER_NAME_FIELD)) {
      problems.push(`create option ${JSON.stringify(byField.get(DRIVER_NAME_FIELD)![0])} becomes ${DRIVER_NAME_FIELD}, which Rancher replaces with its own field`)
    }
  }
  return outcomeOf(problems, [], 'no two options share a camelCase name')
}

function checkNameParts(options: Named[]): Outcome {
  const problems = options
    .filter((o) => o.name === '' || rancherFieldName(o.name) === undefined)
    .map((o) => (o.name === '' ? `${o.label} has an empty name` : `${o.label} has an empty part between dashes: Rancher crashes converting it`))
  return outcomeOf(problems, [], 'every name converts to camelCase')
}

function checkUsage(options: Named[]): Outcome {
  const problems = options.filter((o) => o.flag.usage.trim() === '').map((o) => `${o.label} has no usage text (Rancher shows it as the field's description)`)
  return outcomeOf(problems, [], 'every option says what it is for')
}

function checkSecrets(options: Named[]): Outcome {
  const notes = options
    .filter((o) => !o.flag.password && isSecretByName(o.name, o.flag.type))
    .map((o) => `${o.label} looks like a secret but is not marked password: hosts will show and log its value`)
  return outcomeOf([], notes, 'every option that looks like a secret is marked password')
}

/** Every options check, in catalogue order. */
export function checkOptions(declared: DeclaredOptions): Array<[CheckName, Outcome]> {
  const options = eachOption(declared)
  return [
    ['options.types', checkTypes(options)],
    ['options.defaults', checkDefaults(options)],
    ['options.unique-names', checkUniqueNames(declared)],
    ['options.name-parts', checkNameParts(options)],
    ['options.usage', checkUsage(options)],
    ['options.secrets', checkSecrets(options)],
  ]
}

// Create-only options (a driver's create options its update options do not list) changed in a Cluster's
// spec after the create: Update cannot apply them. The controller applies what it can and says so
// (issue 16), as `ke update --region` is refused, instead of silently keeping the created value.
import {isDeepStrictEqual} from 'node:util'
import {zeroValue, type ResolvedOption} from '../driver/options/option-values.js'
import {camelCase, type OptionSpec, type OptionValue} from '../driver/options/options.js'
import {isSecretByName} from '../protocol/secret-names.js'

/**
 * On a Cluster object: the create-only option values its Create was sent (JSON, secrets never), what
 * a later spec is compared with. A spec is the user's, so the controller keeps this beside it.
 */
export const CREATED_OPTIONS_ANNOTATION = 'ke.io/created-options'
/** The Event's and the Ready condition's reason when a spec change cannot be applied. */
export const CREATE_ONLY_CHANGED = 'CreateOnlyOptionChanged'

export interface CreateOnlyChange {
  name: string
  /** What the running cluster keeps. */
  created: OptionValue | undefined
}

function isCreateOnly(spec: OptionSpec, updatable: ReadonlySet<string>): boolean {
  return !updatable.has(spec.name) && !updatable.has(camelCase(spec.name))
}

/** The create-only values of `resolved` (resolved against the create options) as a Create sends them; no secret. */
export function createOnlyValues(create: OptionSpec[], update: OptionSpec[], resolved: ResolvedOption[]): Record<string, OptionValue> {
  const updatable = new Set(update.flatMap((spec) => [spec.name, camelCase(spec.name)]))
  const createOnly = new Set(create.filter((spec) => isCreateOnly(spec, updatable)).map((spec) => spec.name))
  const out: Record<string, OptionValue> = {}
  for (const option of resolved) {
    const value = option.value ?? zeroValue(option.type)
    if (!createOnly.has(option.name) || value === undefined || option.password) continue
    if (isSecretByName(option.name, typeof value === 'string' ? 'string' : 'other')) continue
    out[option.name] = value
  }
  return out
}

/** Options whose wanted value is not the one the cluster was created with, by name. */
export function createOnlyChanges(wanted: Record<string, OptionValue>, created: Record<string, OptionValue>): CreateOnlyChange[] {
  const names = [...new Set([...Object.keys(created), ...Object.keys(wanted)])].sort()
  return names.filter((name) => !isDeepStrictEqual(wanted[name], created[name])).map((name) => ({name, created: created[name]}))
}

/** The annotation's values; undefined when there is none (a cluster made before ke kept it) or it is not ours to read. */
export function createdOptionsOf(annotations: Record<string, string> | undefined): Record<string, OptionValue> | undefined {
  const text = annotations?.[CREATED_OPTIONS_ANNOTATION]
  if (text === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, OptionValue>) : undefined
  } catch {
    return undefined
  }
}

/** What the user is told, in the words `ke update --region` is refused with. */
export function createOnlyMessage(changes: CreateOnlyChange[], driver: string, update: OptionSpec[]): string {
  const names = changes.map((change) => change.name).join(', ')
  const one = changes.length === 1
  const kept = changes.map((change) => (change.created === undefined ? `${change.name} unset` : `${change.name}=${JSON.stringify(change.created)}`)).join(', ')
  const updatable = update.map((spec) => spec.name).join(', ')
  const instead = updatable ? `driver ${driver} updates only ${updatable}` : `driver ${driver} declares no update options`
  return (
    `spec.options ${names} ${one ? 'is a create-only option' : 'are create-only options'} of driver ${driver}: update cannot change ${one ? 'it' : 'them'}; ` +
    `the running cluster keeps ${kept} (${instead}; Update was called with the rest of the spec)`
  )
}

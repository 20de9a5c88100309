// `--set key=value` and friends: options a driver reads without declaring them (drivers in the wild
// read `description`, nested keys Rancher flattens, ...).
import {KeError} from '../../errors.js'
import type {ExtraValue} from './option-values.js'
import {envVarFor, parseBoolValue, parseIntValue, splitList} from './options.js'
import {looksSecret} from '../../protocol/secret-names.js'
import type {FlagType} from '../../protocol/types.js'

export type SetKind = 'set' | 'set-int' | 'set-bool' | 'set-slice'

const TYPE_OF: Record<SetKind, FlagType> = {set: 'string', 'set-int': 'int', 'set-bool': 'bool', 'set-slice': 'stringSlice'}

/**
 * `--set-secret NAME=VALUE`, or `--set-secret NAME` with the value in KE_OPT_<NAME> (out of argv, which
 * every local user can read in `ps`): a string option sent as a password, so never stored or printed.
 */
export function parseSetSecret(text: string, env: NodeJS.ProcessEnv): ExtraValue {
  const at = text.indexOf('=')
  const name = at === -1 ? text : text.slice(0, at)
  if (!name) throw new KeError('BAD_FLAG', '--set-secret needs NAME=VALUE or NAME', {hint: `e.g. --set-secret apiToken, with the value in ${envVarFor('apiToken')}`})
  if (at !== -1) return {name, type: 'string', value: text.slice(at + 1), source: 'set', password: true}
  const variable = envVarFor(name)
  const value = env[variable]
  if (value === undefined || value === '') {
    throw new KeError('MISSING_VALUE', `--set-secret ${name}: ${variable} is not set`, {hint: `export ${variable}=… first, or pass --set-secret ${name}=VALUE`})
  }
  return {name, type: 'string', value, source: 'env', password: true}
}

/**
 * An undeclared `--set` named like a secret is handled as one (never stored or printed), which the user
 * did not ask for: say so, and name the flag that also keeps the value out of `ps`.
 */
export function secretLookingSets(declared: ReadonlySet<string>, extras: ExtraValue[]): string[] {
  return extras
    .filter((extra) => extra.source === 'set' && !extra.password && !declared.has(extra.name) && looksSecret(extra.name))
    .map((extra) => `--set ${extra.name}: the driver does not declare it and it looks like a secret, so ke sends it but never stores or prints it (give it again on retry and update); --set-secret ${extra.name} with the value in ${envVarFor(extra.name)} also keeps it out of the process list`)
}

export function parseSetFlag(kind: SetKind, text: string): ExtraValue {
  const at = text.indexOf('=')
  const key = at > 0 ? text.slice(0, at) : ''
  if (!key) throw new KeError('BAD_FLAG', `--${kind} ${JSON.stringify(text)} is not key=value`, {hint: `e.g. --${kind} description=${kind === 'set-int' ? '3' : kind === 'set-bool' ? 'true' : 'my-cluster'}`})
  const raw = text.slice(at + 1)
  const type = TYPE_OF[kind]
  if (type === 'int') {
    const value = parseIntValue(raw)
    if (value === undefined) throw new KeError('BAD_FLAG', `--set-int ${key}: ${JSON.stringify(raw)} is not a whole number`, {hint: `e.g. --set-int ${key}=3`})
    return {name: key, type, value, source: 'set'}
  }
  if (type === 'bool') {
    const value = parseBoolValue(raw)
    if (value === undefined) throw new KeError('BAD_FLAG', `--set-bool ${key}: ${JSON.stringify(raw)} is not true or false`, {hint: `e.g. --set-bool ${key}=true`})
    return {name: key, type, value, source: 'set'}
  }
  return {name: key, type, value: type === 'stringSlice' ? splitList(raw) : raw, source: 'set'}
}

export function parseSetFlags(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): ExtraValue[] {
  const kinds: SetKind[] = ['set', 'set-int', 'set-bool', 'set-slice']
  const secrets = ((flags['set-secret'] as string[] | undefined) ?? []).map((text) => parseSetSecret(text, env))
  return [...kinds.flatMap((kind) => ((flags[kind] as string[] | undefined) ?? []).map((text) => parseSetFlag(kind, text))), ...secrets]
}

// `--set key=value` and friends: options a driver reads without declaring them (drivers in the wild
// read `description`, nested keys Rancher flattens, ...).
import {KeError} from '../errors.js'
import type {ExtraValue} from './option-values.js'
import {parseBoolValue, parseIntValue, splitList} from './options.js'
import type {FlagType} from './types.js'

export type SetKind = 'set' | 'set-int' | 'set-bool' | 'set-slice'

const TYPE_OF: Record<SetKind, FlagType> = {set: 'string', 'set-int': 'int', 'set-bool': 'bool', 'set-slice': 'stringSlice'}

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

export function parseSetFlags(flags: Record<string, unknown>): ExtraValue[] {
  const kinds: SetKind[] = ['set', 'set-int', 'set-bool', 'set-slice']
  return kinds.flatMap((kind) => ((flags[kind] as string[] | undefined) ?? []).map((text) => parseSetFlag(kind, text)))
}

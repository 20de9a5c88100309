// `--config FILE`: option values in JSON or YAML, flattened the way Rancher flattens its API spec.
import {readFileSync} from 'node:fs'
import {KeError} from '../../errors.js'
import type {OptionValue} from './options.js'

export type ConfigValues = Map<string, OptionValue>

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function flattenValue(key: string, value: unknown, out: ConfigValues, file: string): void {
  if (value === null || value === undefined) return
  if (key === 'labels' && isPlainObject(value)) {
    out.set(key, Object.entries(value).map(([k, v]) => `${k}=${String(v)}`))
    return
  }
  if (isPlainObject(value)) {
    for (const [innerKey, innerValue] of Object.entries(value)) flattenValue(innerKey, innerValue, out, file)
    return
  }
  if (Array.isArray(value)) {
    // structured elements travel as JSON strings, as drivers that take packed values expect
    out.set(key, value.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))))
    return
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new KeError('BAD_CONFIG', `config file ${file}: key ${key} must be a whole number, got ${value}`, {hint: 'write the value as a whole number'})
    }
    out.set(key, value)
    return
  }
  throw new KeError('BAD_CONFIG', `config file ${file}: key ${key} has a value ke cannot send`, {hint: 'use strings, numbers, booleans, lists or maps'})
}

export async function readConfigFile(file: string): Promise<ConfigValues> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(error))
    throw new KeError('BAD_CONFIG', `config file ${file}: ${why}`, {hint: 'pass a JSON or YAML file of option values to --config'})
  }
  const {parse} = await import('yaml')
  let data: unknown
  try {
    data = parse(text, {prettyErrors: false})
  } catch (error) {
    const reason = String((error as Error).message).split('\n')[0]
    throw new KeError('BAD_CONFIG', `config file ${file} is not valid JSON or YAML: ${reason}`, {hint: 'fix the file; it must be a map of option names to values'})
  }
  if (data === null || data === undefined) return new Map()
  if (!isPlainObject(data)) {
    throw new KeError('BAD_CONFIG', `config file ${file} must hold a map of option names to values`, {hint: 'e.g. `region: us-east` or {"region": "us-east"}'})
  }
  return toConfigValues(data, file)
}

/** A map of option values (a config file's, or a Cluster's spec.options) flattened as --config flattens it. */
export function toConfigValues(data: Record<string, unknown>, file: string): ConfigValues {
  const out: ConfigValues = new Map()
  for (const [key, value] of Object.entries(data)) flattenValue(key, value, out, file)
  return out
}

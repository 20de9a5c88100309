// A Cluster's spec.options (+ the values of its optionsFrom Secrets) as the DriverOptions a driver
// receives: resolved as `ke create --config` resolves a config file, against the options the driver
// declares. What cannot be sent (an unknown option, a value of the wrong type) is an invalid spec.
import {toConfigValues} from '../driver/options/config-file.js'
import {declaredNames, markSecrets, resolveOptions, secretValues, storableValues, toDriverOptions, type KeyStyle} from '../driver/options/option-values.js'
import {camelCase, toOptionSpecs, type OptionSpec, type OptionValue} from '../driver/options/options.js'
import {KeError} from '../errors.js'
import type {ClusterDriver, DriverOptions} from '../protocol/types.js'
import type {ClusterSpec} from '../store/kubernetes/cluster-object.js'
import {createOnlyChanges, createOnlyValues, type CreateOnlyChange} from './create-only.js'

export interface SpecValues {
  /** spec.options as written. */
  options: Record<string, unknown>
  /** Keys and values of the Secrets spec.optionsFrom names, in order (a later Secret wins). */
  secrets: Record<string, string>
}

export interface DriverRequest {
  options: DriverOptions
  /** What the record keeps: every value set, but secrets. */
  storedOptions: Record<string, OptionValue>
  /** Values to keep out of logs, Events and status. */
  secrets: string[]
  keyStyle: KeyStyle
  /** Create: the create-only values sent (no secrets), kept to compare later specs with. */
  createOnly?: Record<string, OptionValue>
  /** Update: create-only options the spec changed since the create; the request carries the created values. */
  createOnlyChanged?: CreateOnlyChange[]
  /** The driver's update options, for messages. */
  updateSpecs?: OptionSpec[]
}

/** Where values come from, in messages: `spec.options of Cluster ns/name`. */
function sourceOf(label: string): string {
  return `spec.options of Cluster ${label}`
}

function rejectUnknown(values: SpecValues, known: Set<string>, driver: string, label: string): void {
  const unknown = [...Object.keys(values.options), ...Object.keys(values.secrets)].filter((key) => !known.has(key))
  if (unknown.length === 0) return
  throw new KeError('BAD_CONFIG', `${sourceOf(label)}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of driver ${driver}`, {
    hint: `see \`ke create --driver ${driver} --help\` for the options it takes`,
  })
}

/** resolveOptions' BAD_CONFIG speaks of a config file: here the "file" is the spec. */
function resolveFromSpec(specs: OptionSpec[], values: SpecValues, label: string, applyDefaults: boolean) {
  const file = sourceOf(label)
  try {
    const config = {file, values: toConfigValues({...values.options, ...values.secrets}, file)}
    return resolveOptions(specs, {flags: {}, env: {}, config, applyDefaults}).options
  } catch (error) {
    if (error instanceof KeError && error.message.startsWith('config file ')) {
      throw new KeError(error.keCode, error.message.slice('config file '.length), {hint: `fix the value in ${file}`})
    }
    throw error
  }
}

/** The Create request for the spec: declared defaults applied, unset options sent as zero values. */
export async function createRequest(driver: ClusterDriver, spec: ClusterSpec, values: SpecValues, label: string): Promise<DriverRequest> {
  const specs = toOptionSpecs(await driver.getCreateOptions(), driver.name)
  rejectUnknown(values, declaredNames(specs), driver.name, label)
  const resolved = markFromSecrets(resolveFromSpec(specs, values, label, true), values)
  const keyStyle = spec.keyStyle ?? 'both'
  // a driver that cannot list its update options still creates: later specs are then not compared
  const updateFlags = await driver.getUpdateOptions().catch(() => undefined)
  const createOnly = updateFlags ? createOnlyValues(specs, toOptionSpecs(updateFlags, driver.name), resolved) : undefined
  return {options: toDriverOptions(resolved, keyStyle, {sendUnset: true}), storedOptions: storableValues(resolved), secrets: secretValues(resolved), keyStyle, createOnly}
}

/**
 * The Update request for the spec: the driver's update options as the spec sets them now, and the
 * other values sent along as context (as `ke update` sends the stored create options). `created` (the
 * create-only values the Create was sent, when known) is what the running cluster keeps: those go as
 * context instead of the spec's, and a spec that differs is named in createOnlyChanged.
 */
export async function updateRequest(driver: ClusterDriver, spec: ClusterSpec, values: SpecValues, label: string, created?: Record<string, OptionValue>): Promise<DriverRequest> {
  const specs = toOptionSpecs(await driver.getUpdateOptions(), driver.name)
  const createSpecs = toOptionSpecs(await driver.getCreateOptions(), driver.name)
  rejectUnknown(values, new Set([...declaredNames(specs), ...declaredNames(createSpecs)]), driver.name, label)
  let createOnlyChanged: CreateOnlyChange[] = []
  if (created) {
    const wanted = createOnlyValues(createSpecs, specs, markFromSecrets(resolveFromSpec(createSpecs, values, label, true), values))
    createOnlyChanged = createOnlyChanges(wanted, created)
    values = withCreatedValues(values, created)
  }
  const resolved = markFromSecrets(markSecrets(resolveFromSpec(specs, values, label, false), createSpecs), values)
  const keyStyle = spec.keyStyle ?? 'both'
  return {options: toDriverOptions(resolved, keyStyle, {sendUnset: false}), storedOptions: storableValues(resolved), secrets: secretValues(resolved), keyStyle, createOnlyChanged, updateSpecs: specs}
}

/** spec.options with the created create-only values in place of the spec's (in either spelling). */
function withCreatedValues(values: SpecValues, created: Record<string, OptionValue>): SpecValues {
  const kept = new Set(Object.keys(created).map(camelCase))
  const options = Object.fromEntries(Object.entries(values.options).filter(([name]) => !kept.has(camelCase(name))))
  return {options: {...options, ...created}, secrets: values.secrets}
}

/** A value read from a Secret is secret whatever its option's name. */
function markFromSecrets<T extends {name: string; password: boolean}>(resolved: T[], values: SpecValues): T[] {
  const fromSecrets = new Set(Object.keys(values.secrets).map(camelCase))
  return resolved.map((option) => (fromSecrets.has(camelCase(option.name)) ? {...option, password: true} : option))
}

// What kontainer-engine's host adds to the options it sends, which some drivers rely on
// (PROTOCOL.md: a retried Create gets every stored metadata key; Update gets the non-state metadata
// keys verbatim and `metadata.state` flattened into options the user did not give).
import type {OptionValue} from '../driver/options/options.js'
import type {DriverOptions, FlagType} from '../protocol/types.js'

function hasKey(options: DriverOptions, key: string): boolean {
  return key in options.stringOptions || key in options.intOptions || key in options.boolOptions || key in options.stringSliceOptions
}

export function withHostNames(options: DriverOptions, name: string, displayName: string): DriverOptions {
  return {...options, stringOptions: {...options.stringOptions, name, displayName}}
}

/** Retried create: every stored metadata key, `state` included, as a string option. */
export function withRetryMetadata(options: DriverOptions, metadata: Record<string, string>): DriverOptions {
  const stringOptions = {...options.stringOptions}
  for (const [key, value] of Object.entries(metadata)) if (!hasKey(options, key)) stringOptions[key] = value
  return {...options, stringOptions}
}

/** One value the host adds to an update from the stored metadata, with where it came from. */
export interface MetadataValue {
  key: string
  type: FlagType
  value: OptionValue
  source: 'metadata' | 'state'
}

/** Update: non-state metadata verbatim, then the driver's state flattened into keys not given. */
export function updateMetadataValues(options: DriverOptions, metadata: Record<string, string>): MetadataValue[] {
  const out: MetadataValue[] = []
  const taken = (key: string) => hasKey(options, key) || out.some((value) => value.key === key)
  for (const [key, value] of Object.entries(metadata)) if (key !== 'state' && !taken(key)) out.push({key, type: 'string', value, source: 'metadata'})
  for (const [key, value] of Object.entries(parseState(metadata.state))) {
    if (taken(key)) continue
    if (typeof value === 'string') out.push({key, type: 'string', value, source: 'state'})
    else if (typeof value === 'boolean') out.push({key, type: 'bool', value, source: 'state'})
    else if (typeof value === 'number' && Number.isSafeInteger(value)) out.push({key, type: 'int', value, source: 'state'})
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) out.push({key, type: 'stringSlice', value, source: 'state'})
  }
  return out
}

export function withUpdateMetadata(options: DriverOptions, metadata: Record<string, string>): DriverOptions {
  const out: DriverOptions = {
    boolOptions: {...options.boolOptions},
    stringOptions: {...options.stringOptions},
    intOptions: {...options.intOptions},
    stringSliceOptions: {...options.stringSliceOptions},
  }
  for (const {key, type, value} of updateMetadataValues(options, metadata)) {
    if (type === 'string') out.stringOptions[key] = value as string
    else if (type === 'bool') out.boolOptions[key] = value as boolean
    else if (type === 'int') out.intOptions[key] = value as number
    else out.stringSliceOptions[key] = value as string[]
  }
  return out
}

function parseState(state: string | undefined): Record<string, unknown> {
  if (!state) return {}
  try {
    const parsed = JSON.parse(state)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}
  } catch {
    // metadata is opaque: a driver may keep something that is not JSON there
    return {}
  }
}

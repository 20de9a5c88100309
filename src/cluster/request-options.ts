// What kontainer-engine's host adds to the options it sends, which some drivers rely on
// (PROTOCOL.md: a retried Create gets every stored metadata key; Update gets the non-state metadata
// keys verbatim and `metadata.state` flattened into options the user did not give).
import type {DriverOptions} from '../driver/types.js'

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

/** Update: non-state metadata verbatim, then the driver's state flattened into keys not given. */
export function withUpdateMetadata(options: DriverOptions, metadata: Record<string, string>): DriverOptions {
  const out: DriverOptions = {
    boolOptions: {...options.boolOptions},
    stringOptions: {...options.stringOptions},
    intOptions: {...options.intOptions},
    stringSliceOptions: {...options.stringSliceOptions},
  }
  for (const [key, value] of Object.entries(metadata)) if (key !== 'state' && !hasKey(out, key)) out.stringOptions[key] = value
  for (const [key, value] of Object.entries(parseState(metadata.state))) {
    if (hasKey(out, key)) continue
    if (typeof value === 'string') out.stringOptions[key] = value
    else if (typeof value === 'boolean') out.boolOptions[key] = value
    else if (typeof value === 'number' && Number.isSafeInteger(value)) out.intOptions[key] = value
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) out.stringSliceOptions[key] = value
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

// A driver's options as oclif flags (for parsing) and as oclif's cached flag shape (for --help).
import {Flags} from '@oclif/core'
import {envVarFor, formatValue, type OptionSpec} from '../driver/options/options.js'
import {isSecretOption} from '../protocol/secret-names.js'

export function describeOption(spec: OptionSpec): string {
  const details: string[] = [spec.type]
  const secret = isSecretOption(spec)
  if (spec.declaredDefault) details.push(`default: ${secret ? '<redacted>' : formatValue(spec.declaredDefault.value) || '""'}`)
  if (secret) details.push(`secret, or set ${envVarFor(spec.name)}`)
  return `${spec.usage || spec.name} [${details.join('; ')}]`
}

function helpValue(spec: OptionSpec): string {
  if (spec.type === 'int' || spec.type === 'intPtr') return '<int>'
  if (spec.type === 'stringSlice') return '<value>'
  return '<value>'
}

/** Flags for oclif's parser. Ints are parsed by ke itself so a bad value gets ke's message. */
export function toOclifFlags(specs: OptionSpec[]): Record<string, any> {
  const flags: Record<string, any> = {}
  for (const spec of specs) {
    const common = {description: describeOption(spec)}
    if (spec.type === 'bool' || spec.type === 'boolPtr') flags[spec.flagName] = Flags.boolean({...common, allowNo: true})
    else if (spec.type === 'stringSlice') flags[spec.flagName] = Flags.string({...common, multiple: true, multipleNonGreedy: true, delimiter: ',', helpValue: helpValue(spec)})
    else flags[spec.flagName] = Flags.string({...common, helpValue: helpValue(spec)})
  }
  return flags
}

/** The same flags in the shape oclif's Help renders (Command.Cached flags), under their own heading. */
export function toCachedFlags(specs: OptionSpec[], helpGroup: string): Record<string, any> {
  const flags: Record<string, any> = {}
  for (const spec of specs) {
    const base = {name: spec.flagName, description: describeOption(spec), helpGroup, hasDynamicHelp: false}
    flags[spec.flagName] =
      spec.type === 'bool' || spec.type === 'boolPtr'
        ? {...base, type: 'boolean', allowNo: true}
        : {...base, type: 'option', multiple: spec.type === 'stringSlice', helpValue: helpValue(spec)}
  }
  return flags
}

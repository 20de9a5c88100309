// Builders for the options a driver declares, so defaults carry the right type: an int default is an
// int, a list default a list. The result is the DriverFlags map GetDriverCreateOptions returns.
import type {DriverFlag, DriverFlags, FlagDefault} from '../protocol/types.js'

function withDefault(type: string, usage: string, changes: Partial<FlagDefault> | undefined, extra: Partial<DriverFlag> = {}): DriverFlag {
  const flag: DriverFlag = {type, usage, value: '', password: false, ...extra}
  if (changes) flag.default = {defaultBool: false, defaultString: '', defaultStringSlice: [], defaultInt: 0, ...changes}
  return flag
}

export const option = {
  string(usage: string, opts: {default?: string} = {}): DriverFlag {
    // Flag.value too: the old kontainer-engine CLI reads string defaults from there
    const has = opts.default !== undefined
    return withDefault('string', usage, has ? {defaultString: opts.default} : undefined, {value: has ? opts.default : ''})
  },
  /** A secret (API key, password): hosts never echo or log it. */
  password(usage: string): DriverFlag {
    return withDefault('string', usage, undefined, {password: true})
  },
  int(usage: string, opts: {default?: number} = {}): DriverFlag {
    return withDefault('int', usage, opts.default !== undefined ? {defaultInt: opts.default} : undefined)
  },
  /** Absent unless given: read with `options.intPtr()`. */
  intPtr(usage: string, opts: {default?: number} = {}): DriverFlag {
    return withDefault('intPtr', usage, opts.default !== undefined ? {defaultInt: opts.default} : undefined)
  },
  bool(usage: string, opts: {default?: boolean} = {}): DriverFlag {
    return withDefault('bool', usage, opts.default !== undefined ? {defaultBool: opts.default} : undefined)
  },
  /** Absent unless given: read with `options.boolPtr()`. */
  boolPtr(usage: string, opts: {default?: boolean} = {}): DriverFlag {
    return withDefault('boolPtr', usage, opts.default !== undefined ? {defaultBool: opts.default} : undefined)
  },
  stringSlice(usage: string, opts: {default?: string[]} = {}): DriverFlag {
    return withDefault('stringSlice', usage, opts.default !== undefined ? {defaultStringSlice: [...opts.default]} : undefined)
  },
}

/** Option names are kebab-case by convention; Rancher derives its camelCase API names from them. */
export function defineOptions(options: Record<string, DriverFlag>): DriverFlags {
  return {...options}
}

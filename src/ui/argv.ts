import {KeError} from '../errors.js'

// Reading a few flags from argv before the full parse: the driver decides which flags exist, so
// `--driver` (and `--attach`) must be known before oclif can parse the rest.

/** The value of `--NAME V`, `--NAME=V` or `-C V` before any `--`. Undefined when absent. */
export function readFlagValue(argv: string[], name: string, char?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') break
    if (arg === `--${name}` || (char && arg === `-${char}`)) return argv[i + 1]
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3)
    if (char && arg.startsWith(`-${char}`) && arg.length > 2 && !arg.startsWith('--')) return arg.slice(2)
  }
  return undefined
}

export function readDriverName(argv: string[]): string | undefined {
  return readFlagValue(argv, 'driver', 'd')
}

/** Tokens that could be the positional NAME (not flags); the full parse confirms which one it is. */
export function positionalCandidates(argv: string[]): string[] {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).filter((arg) => !arg.startsWith('-'))
}

/** Every value of a repeatable flag (`--NAME V` / `--NAME=V`), in order, before any `--`. */
export function readFlagValues(argv: string[], name: string): string[] {
  const values: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') break
    if (arg === `--${name}` && i + 1 < argv.length) values.push(argv[++i])
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3))
  }
  return values
}

export function hasBareFlag(argv: string[], name: string): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes(`--${name}`)
}

/**
 * oclif's boolean flags take no value: `--private=false` would set the flag AND make "false" an
 * argument (the cluster name). Spell `--x=true|false` as `--x` / `--no-x`, refuse any other value.
 */
export function withBooleanValues(argv: string[], flags: Record<string, {type?: string; allowNo?: boolean}>): string[] {
  const end = argv.indexOf('--')
  return argv.map((arg, index) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg)
    if (!match || (end !== -1 && index > end) || flags[match[1]]?.type !== 'boolean') return arg
    const [, name, value] = match
    const truth = /^(true|1|yes)$/i.test(value) ? true : /^(false|0|no)$/i.test(value) ? false : undefined
    if (truth === true) return `--${name}`
    if (truth === false && flags[name].allowNo) return `--no-${name}`
    throw new KeError('BAD_FLAG', `--${name} takes no value, got ${JSON.stringify(value)}`, {hint: `write --${name}${flags[name].allowNo ? ` or --no-${name}` : ''}`})
  })
}

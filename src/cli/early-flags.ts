// The first of two parses. A driver's options become flags only once the driver runs, but which driver
// runs, how, and for which cluster is said by ke's own flags: oclif's parser reads those first, leaving
// the flags it does not know yet (the driver's) for the full parse.
import type {NameBeforeDriver} from '../cluster/flow.js'
import {KeError} from '../errors.js'
import {Parser} from '@oclif/core'

/** What the first parse knows before the driver runs. */
export interface EarlyParse {
  /** ke's own flags, parsed and checked by their oclif definitions. */
  flags: Record<string, any>
  /** The cluster name as far as it can be told before the driver's flags are known. */
  name: NameBeforeDriver
  /** Flags ke does not declare, as written (`--region`, `--private=false`): the driver's, or typos. */
  unknownFlags: string[]
}

type Token = {type: 'arg' | 'flag'; input: string}

/** `--x` or `-x`, but not a negative number (a value). */
function isFlagLike(input: string): boolean {
  return input.startsWith('-') && input.length > 1 && !/^-\d/.test(input)
}

/**
 * Parses ke's own `flags` in `argv`, leaving flags it does not know and their values alone.
 * oclif counts an unknown flag as an argument when `--` is not special to it; `--` is handled here:
 * what follows it is positional.
 */
export async function parseEarly(argv: string[], flags: Record<string, any>): Promise<EarlyParse> {
  const end = argv.indexOf('--')
  const before = withBooleanValues(end === -1 ? argv : argv.slice(0, end), flags)
  const after = end === -1 ? [] : argv.slice(end + 1)
  const output = await Parser.parse(before, {flags, args: {}, strict: false, '--': false})
  const unknownFlags: string[] = []
  const possible: string[] = []
  const certain: string[] = []
  let previous: Token | undefined
  for (const token of output.raw as Token[]) {
    if (token.type === 'arg' && isFlagLike(token.input)) unknownFlags.push(token.input)
    else if (token.type === 'arg') {
      possible.push(token.input)
      const mayBeValue = previous?.type === 'arg' && isFlagLike(previous.input) && !previous.input.includes('=')
      if (!mayBeValue) certain.push(token.input)
    }
    previous = token
  }
  return {flags: output.flags, name: {certain: [...certain, ...after][0], possible: [...possible, ...after]}, unknownFlags}
}

type BooleanFlag = {type?: string; allowNo?: boolean; char?: string; default?: unknown}

/** The truth a boolean flag's written value says (`true`, `1`, `yes`; `false`, `0`, `no`), or undefined. */
export function booleanWord(value: string): boolean | undefined {
  return /^(true|1|yes)$/i.test(value) ? true : /^(false|0|no)$/i.test(value) ? false : undefined
}

/** The flag `written` names (`x`, `no-x`, or `-c` by its char), and whether it is the `--no-` form. */
function booleanNamed(written: string, flags: Record<string, BooleanFlag>): {name: string; negated: boolean} | undefined {
  const byChar = written.length === 1 ? Object.keys(flags).find((name) => flags[name].char === written) : undefined
  const negated = !byChar && flags[written] === undefined && written.startsWith('no-') && flags[written.slice(3)]?.allowNo === true
  const name = byChar ?? (negated ? written.slice(3) : written)
  return flags[name]?.type === 'boolean' ? {name, negated} : undefined
}

/**
 * oclif's boolean flags take no value: `--private=false` would set the flag AND make "false" an
 * argument (the cluster name); so would `--no-private=true` and `-q=1`. A script writes `--debug=$X`:
 * true is the flag, false its `--no-` form where it has one, or nothing where leaving the flag out
 * means false; any other value is refused.
 */
export function withBooleanValues(argv: string[], flags: Record<string, BooleanFlag>): string[] {
  const end = argv.indexOf('--')
  return argv.flatMap((arg, index) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg) ?? /^-([^-=])=(.*)$/.exec(arg)
    const flag = match && (end === -1 || index < end) ? booleanNamed(match[1], flags) : undefined
    if (!match || !flag) return [arg]
    const {name, negated} = flag
    const value = match[2]
    const truth = booleanWord(value)
    const on = truth === undefined ? undefined : truth !== negated
    if (on === true) return [`--${name}`]
    if (on === false && flags[name].allowNo) return [`--no-${name}`]
    if (on === false && flags[name].default !== true) return []
    const written = arg.slice(0, arg.indexOf('='))
    const hint = flags[name].allowNo ? `write --${name} or --no-${name}` : `write --${name} alone, or leave it out`
    throw new KeError('BAD_FLAG', `${written} takes true or false, got ${JSON.stringify(value)}`, {hint})
  })
}

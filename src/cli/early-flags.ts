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

/**
 * oclif's boolean flags take no value: `--private=false` would set the flag AND make "false" an
 * argument (the cluster name); so would `--no-private=true`. Spell `--x=true` as `--x`, and `--x=false`
 * as `--no-x` where the flag has that form (`--no-x=VALUE` the other way round); refuse other values.
 */
export function withBooleanValues(argv: string[], flags: Record<string, {type?: string; allowNo?: boolean}>): string[] {
  const end = argv.indexOf('--')
  return argv.map((arg, index) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg)
    if (!match || (end !== -1 && index > end)) return arg
    const [, written, value] = match
    const negated = flags[written] === undefined && written.startsWith('no-') && flags[written.slice(3)]?.allowNo === true
    const name = negated ? written.slice(3) : written
    if (flags[name]?.type !== 'boolean') return arg
    const truth = /^(true|1|yes)$/i.test(value) ? true : /^(false|0|no)$/i.test(value) ? false : undefined
    const on = truth === undefined ? undefined : truth !== negated
    if (on === true) return `--${name}`
    if (on === false && flags[name].allowNo) return `--no-${name}`
    const hint = flags[name].allowNo ? `write --${name} or --no-${name}` : `write --${name} alone, or leave it out`
    throw new KeError('BAD_FLAG', `--${written} takes no value, got ${JSON.stringify(value)}`, {hint})
  })
}

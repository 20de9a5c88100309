// Anything thrown becomes one KeError: oclif's parse errors become usage errors with a plain message,
// everything unexpected becomes INTERNAL.
import {Errors} from '@oclif/core'
import {KeError, isKeError} from '../errors.js'
import {nearestName} from '../nearest-name.js'

/** The known flag closest to `given` (`--drivr=x` → `driver`). */
export function nearestFlag(given: string, known: string[]): string | undefined {
  return nearestName(given.replace(/^-+/, '').split('=')[0], known)
}

/**
 * Before a driver is known its flags are not either: of the flags ke does not declare (as the first
 * parse found them), one close to one of ke's own (`--drivr`) is a typo of it, while any other may still
 * be the driver's.
 */
export function misspelledOwnFlag(unknownFlags: string[], usage: UsageContext): KeError | undefined {
  for (const arg of unknownFlags) {
    const name = /^--(?:no-)?([^=]+)/.exec(arg)?.[1]
    if (!name || usage.flagNames.includes(name)) continue
    const near = nearestFlag(name, usage.flagNames)
    if (near) return new KeError('BAD_FLAG', `unknown flag --${name}`, {hint: `did you mean --${near}? see \`${usage.helpCommand}\``})
  }
  return undefined
}

export interface UsageContext {
  /** Every flag the command accepts (its own and the driver's). */
  flagNames: string[]
  /** How to see them, e.g. `ke create --driver sample --help`. */
  helpCommand: string
}

/** oclif's parser throws plain CLIErrors too ("Parsing --timeout\n\tExpected an integer ..."). */
function isParserMessage(message: string): boolean {
  return /^(Parsing --|Flag --|Expected |Missing |Unexpected argument|The following error)/i.test(message.trim())
}

/** A multi-line parser message as one line: "--timeout: Expected an integer ...". */
function oneLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line && !/^See more help/i.test(line) && !/^The following errors? occurred/i.test(line))
  const parsing = /^Parsing (--\S+)$/.exec(lines[0] ?? '')
  return parsing ? `${parsing[1]}: ${lines.slice(1).join(' ')}` : lines.join(' ')
}

/** oclif's parser messages, said as ke says everything: lower case, the flag first, what it got. */
const REWORDED: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^Expected --([\w-]+)=(.*) to be one of: (.*)$/s, (m) => `--${m[1]} must be one of ${m[3]}, got ${JSON.stringify(m[2])}`],
  [/^Flag --([\w-]+) expects a value$/, (m) => `--${m[1]} needs a value`],
  [/^Missing required flag ([\w-]+)$/, (m) => `missing flag --${m[1]}`],
  [/^Flag --([\w-]+) can only be specified once$/, (m) => `--${m[1]} can be given only once`],
  [/^--([\w-]+): Expected an integer but received: (.*)$/, (m) => `--${m[1]} must be a whole number, got ${JSON.stringify(m[2])}`],
  [/^--([\w-]+): Expected an integer (greater|less) than or equal to (-?\d+) but received: (.*)$/, (m) => `--${m[1]} must be at ${m[2] === 'greater' ? 'least' : 'most'} ${m[3]}, got ${JSON.stringify(m[4])}`],
]

function inKeStyle(message: string): string {
  for (const [pattern, say] of REWORDED) {
    const match = pattern.exec(message)
    if (match) return say(match)
  }
  return message
}

/** oclif wraps some messages in "The following error occurred:" and "See more help ..." lines. */
function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean)
  return lines.find((line) => !/^(The following errors? occurred|See more help)/i.test(line)) ?? lines[0] ?? text
}

/** `ke ls extra`: says which arguments were not expected and what the command does take. */
function strayArguments(error: Errors.CLIError, help: string): KeError {
  const parse = (error as unknown as {args?: string[]; parse?: {input?: {args?: Record<string, unknown>}}})
  const stray = (parse.args ?? []).map((arg) => JSON.stringify(arg)).join(' ')
  const takes = Object.keys(parse.parse?.input?.args ?? {}).map((name) => name.toUpperCase())
  const expected = takes.length === 0 ? 'this command takes no arguments' : `this command takes ${takes.join(' ')}`
  return new KeError('BAD_ARGUMENT', `unexpected argument${(parse.args ?? []).length === 1 ? '' : 's'} ${stray}: ${expected}`, {hint: help})
}

/** Whatever a command threw (oclif's parse errors, a KeError, anything else) as the one KeError ke reports. */
export function thrownToKeError(error: unknown, usage?: UsageContext): KeError {
  if (isKeError(error)) return error
  const help = usage ? `see \`${usage.helpCommand}\`` : 'see --help'
  if (error instanceof Errors.CLIError && error.constructor.name === 'NonExistentFlagsError') {
    const unknown = ((error as unknown as {flags: string[]}).flags ?? [])[0] ?? ''
    const near = usage && nearestFlag(unknown, usage.flagNames)
    return new KeError('BAD_FLAG', `unknown flag ${unknown}`, {hint: near ? `did you mean --${near}? ${help}` : help})
  }
  if (error instanceof Errors.CLIError && error.constructor.name === 'UnexpectedArgsError') return strayArguments(error, help)
  if (error instanceof Errors.CLIError && error.constructor.name === 'RequiredArgsError') {
    const missing = ((error as unknown as {args: Array<{name: string}>}).args ?? []).map((arg) => arg.name.toUpperCase())
    return new KeError('MISSING_VALUE', `missing argument${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`, {hint: help})
  }
  if (error instanceof Errors.CLIError && /Parse|Args|Flag|Validation|Constraint/.test(error.constructor.name)) {
    return new KeError('BAD_FLAG', inKeStyle(firstLine(error.message).replace(/^Error:\s*/, '')), {hint: help})
  }
  if (error instanceof Errors.CLIError && isParserMessage(error.message)) {
    return new KeError('BAD_FLAG', inKeStyle(oneLine(error.message)), {hint: help})
  }
  if (error instanceof Errors.ExitError) return new KeError('INTERNAL', 'exited', {exit: error.oclif.exit})
  const message = error instanceof Error ? error.message : String(error)
  return new KeError('INTERNAL', `unexpected error: ${firstLine(message)}`, {
    hint: 'this is a bug in ke: please report it with the output of the same command run with --debug',
    cause: error,
  })
}

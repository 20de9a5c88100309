// The one way an error reaches the user: one line on stderr (what failed, then the hint), the stack
// under --debug, the JSON error under --json. Used by every command and by the hook that answers for
// commands that do not exist.
import type {KeError} from '../errors.js'
import {makeColors} from '../ui/colors.js'

export interface ReportOptions {
  exit: number
  redact: (text: string) => string
  debug: boolean
  noColor: boolean
  json: boolean
}

/** Prints `Error: message (hint)` on stderr, redacted; returns the redacted texts. */
export function printErrorLine(keError: KeError, opts: Pick<ReportOptions, 'redact' | 'noColor'>): {message: string; hint?: string} {
  const message = opts.redact(keError.message)
  const hint = keError.hint ? opts.redact(keError.hint) : undefined
  const colors = makeColors({noColor: opts.noColor, isTTY: Boolean(process.stderr.isTTY)})
  // one line for ordinary errors; a driver's log tail makes a message multi-line, and then the hint gets its own
  const hintText = hint ? (message.includes('\n') ? `\n${colors.dim('Hint:')} ${hint}` : ` (${hint})`) : ''
  process.stderr.write(`${colors.red('Error:')} ${message}${hintText}\n`)
  return {message, hint}
}

export function reportError(keError: KeError, opts: ReportOptions): void {
  const {message, hint} = printErrorLine(keError, opts)
  if (opts.debug) {
    const cause = (keError as {cause?: unknown}).cause
    process.stderr.write(`${opts.redact(String((cause instanceof Error ? cause : keError).stack))}\n`)
  }
  if (opts.json) {
    const document = {...keError.result, error: {code: keError.keCode, message, hint, exit: opts.exit}}
    process.stdout.write(`${opts.redact(JSON.stringify(document, null, 2))}\n`)
  }
  process.exitCode = opts.exit
}

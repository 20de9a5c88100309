// The controller's log: plain text for a terminal, or one JSON object a line (`--log-format json`)
// for a log collector. Every line passes the redact hook last, and fields whose names say they hold a
// secret never reach it with their value: a controller log is read by more people than a cluster's owner.

export type LogFields = Record<string, unknown>

export interface Logger {
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export type LogLevel = 'info' | 'warn' | 'error'

export interface LoggerOptions {
  json: boolean
  /** Where lines go; stderr by default (stdout stays for a command's result). */
  stream?: NodeJS.WritableStream
  /** Applied to each whole line before it is written, e.g. to blank known secret values. */
  redact?: (text: string) => string
  /** The clock, for tests; `new Date()` otherwise. */
  now?: () => Date
}

export const REDACTED = '[redacted]'

/** Field names that hold credentials or a driver's private state: their values are never logged. */
const SECRET_FIELD = /(token|password|passwd|secret|credential|private.?key|client.?key|api.?key|access.?key|certificate|kubeconfig|^state$)/i

/** A field value as it may be logged: errors as their message, secret-named fields blanked. */
function safeValue(name: string, value: unknown): unknown {
  if (SECRET_FIELD.test(name) && value !== undefined && value !== null && value !== '') return REDACTED
  if (value instanceof Error) return value.message
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as LogFields).map(([key, inner]) => [key, safeValue(key, inner)]))
  }
  return value
}

function safeFields(fields: LogFields | undefined): LogFields {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([key, value]) => [key, safeValue(key, value)]))
}

/** `key=value` pairs; values with spaces or quotes are JSON-quoted so a line stays one line. */
function textFields(fields: LogFields): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      return ` ${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`
    })
    .join('')
}

export function formatLine(level: LogLevel, msg: string, fields: LogFields | undefined, opts: {json: boolean; at: Date}): string {
  const safe = safeFields(fields)
  if (opts.json) return JSON.stringify({time: opts.at.toISOString(), level, msg, ...(Object.keys(safe).length > 0 ? {fields: safe} : {})})
  return `${opts.at.toISOString()} ${level.toUpperCase().padEnd(5)} ${msg.replaceAll('\n', ' ')}${textFields(safe)}`
}

export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr
  const redact = opts.redact ?? ((text: string) => text)
  const now = opts.now ?? (() => new Date())
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    stream.write(redact(formatLine(level, msg, fields, {json: opts.json, at: now()})) + '\n')
  }
  return {info: write('info'), warn: write('warn'), error: write('error')}
}

/** A redact hook that blanks each of `values` (e.g. secret option values the controller read). */
export function redactValues(values: Iterable<string>): (text: string) => string {
  const secrets = [...values].filter((value) => value.length >= 4)
  return (text) => secrets.reduce((line, secret) => line.replaceAll(secret, REDACTED), text)
}

import {appendFileSync, closeSync, openSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {ensurePrivateDir} from '../../fs/atomic.js'
import type {Redactor} from '../../redact.js'

const TAIL_LINES = 20

/**
 * How long a line waits before it is written or streamed. A driver often prints a secret just before
 * returning it (a token made in PostCheck): ke learns it only from the reply, so lines are redacted
 * when they leave this queue, not when they arrive, and the queue is emptied when the driver stops.
 */
const HOLD_MS = 2000

/**
 * A driver's stdout and stderr: redacted, kept in a ring of the last lines for error messages,
 * written to a log file once one is attached (create attaches it only after the cluster exists, so a
 * rejected invocation leaves KE_HOME untouched), and streamed to stderr under --debug.
 */
export class DriverLog {
  /** The last lines as the driver wrote them; redacted when read, with every secret known by then. */
  private readonly lines: string[] = []
  private readonly held: Array<{line: string; due: number}> = []
  /** Lines released before a file was attached (raw, redacted when written). */
  private readonly pending: string[] = []
  private partial = ''
  private fd: number | undefined
  private path: string | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly driverName: string,
    private readonly redactor: Redactor,
    private readonly stream?: (line: string) => void,
  ) {}

  get file(): string | undefined {
    return this.path
  }

  /** Starts writing to `path` (mode 0600), first the lines seen so far. */
  attachFile(path: string, header?: string): void {
    if (this.path === path) return
    ensurePrivateDir(dirname(path))
    this.fd = openSync(path, 'a', 0o600)
    this.path = path
    this.writeToFile(header === undefined ? this.pending.splice(0) : [header, ...this.pending.splice(0)])
  }

  /** A note from ke itself (start, stop, exit status), in the same log: a line of its own, after whatever the driver wrote. */
  note(text: string): void {
    this.flushPartial()
    this.addLine(`[ke] ${text}`)
  }

  write(chunk: string): void {
    const text = this.partial + chunk
    const parts = text.split('\n')
    this.partial = parts.pop() ?? ''
    for (const line of parts) this.addLine(line.replace(/\r$/, ''))
  }

  tail(count = TAIL_LINES): string[] {
    this.flushPartial()
    return this.lines.slice(-count).map((line) => this.redactor.redact(line))
  }

  /** Releases every held line (the driver has stopped, so its secrets are known) and closes the file. */
  close(): void {
    this.flushPartial()
    this.release(Number.POSITIVE_INFINITY)
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private flushPartial(): void {
    if (this.partial) {
      const line = this.partial
      this.partial = ''
      this.addLine(line)
    }
  }

  private addLine(raw: string): void {
    this.lines.push(raw)
    if (this.lines.length > TAIL_LINES) this.lines.shift()
    this.held.push({line: raw, due: Date.now() + HOLD_MS})
    this.timer ??= setTimeout(() => this.onTimer(), HOLD_MS).unref()
  }

  private onTimer(): void {
    this.timer = undefined
    this.release(Date.now())
    if (this.held.length > 0) this.timer = setTimeout(() => this.onTimer(), Math.max(1, this.held[0].due - Date.now())).unref()
  }

  /** Streams and writes the held lines due by `now`, redacted with the secrets known at this moment. */
  private release(now: number): void {
    const due: string[] = []
    while (this.held.length > 0 && this.held[0].due <= now) due.push(this.held.shift()!.line)
    if (this.fd !== undefined) this.writeToFile(due)
    else for (const raw of due) this.pending.push(raw)
    for (const raw of due) this.stream?.(`[${this.driverName}] ${this.redactor.redact(raw)}`)
    if (this.held.length === 0 && this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }

  /** One write for all of them: a driver stopping releases its last seconds of lines at once. */
  private writeToFile(raw: string[]): void {
    if (this.fd !== undefined && raw.length > 0) writeSync(this.fd, raw.map((line) => `${this.redactor.redact(line)}\n`).join(''))
  }
}

/** Appends one line to a log file without holding it open (for notes after the driver stopped). */
export function appendLogLine(path: string, line: string): void {
  appendFileSync(path, `${line}\n`, {mode: 0o600})
}

/**
 * A driver's warning (logrus `level=warning msg="..."`, as the SDK and Go drivers write them) shown as a
 * ke warning: `driver NAME: MESSAGE`. Other lines are left to the log file.
 */
export function showDriverWarning(line: string, progress: {warn(text: string): void}): void {
  const match = /^\[([^\]]*)\] .*\blevel=warn(?:ing)?\b.*?\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)
  if (match) progress.warn(`driver ${match[1]}: ${match[2]!.replace(/\\(.)/g, '$1')}`)
}

import {appendFileSync, closeSync, openSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {ensurePrivateDir} from '../store/atomic.js'
import type {Redactor} from '../redact.js'

const TAIL_LINES = 20

/**
 * A driver's stdout and stderr: redacted, kept in a ring of the last lines for error messages,
 * written to a log file once one is attached (create attaches it only after the cluster exists, so a
 * rejected invocation leaves KE_HOME untouched), and streamed to stderr under --debug.
 */
export class DriverLog {
  private readonly lines: string[] = []
  private readonly pending: string[] = []
  private partial = ''
  private fd: number | undefined
  private path: string | undefined

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
    if (header) this.writeToFile(header)
    for (const line of this.pending.splice(0)) this.writeToFile(line)
  }

  /** A note from ke itself (start, stop, exit status), in the same log. */
  note(text: string): void {
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
    return this.lines.slice(-count)
  }

  close(): void {
    this.flushPartial()
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
    const line = this.redactor.redact(raw)
    this.lines.push(line)
    if (this.lines.length > TAIL_LINES) this.lines.shift()
    this.stream?.(`[${this.driverName}] ${line}`)
    if (this.fd === undefined) this.pending.push(line)
    else this.writeToFile(line)
  }

  private writeToFile(line: string): void {
    if (this.fd !== undefined) writeSync(this.fd, `${line}\n`)
  }
}

/** Appends one line to a log file without holding it open (for notes after the driver stopped). */
export function appendLogLine(path: string, line: string): void {
  appendFileSync(path, `${line}\n`, {mode: 0o600})
}

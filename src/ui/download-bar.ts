// Progress of a download on stderr: a bar on a TTY, two timestamped lines otherwise (CI logs), nothing
// with --quiet or --json. Same conventions as progress.ts.
import {displayUrl, urlSecrets, type DownloadProgress} from '../driver/install/download.js'
import type {Colors} from './colors.js'

const WIDTH = 24
const REDRAW_MS = 100

export interface DownloadBarOptions {
  label: string
  quiet: boolean
  tty: boolean
  colors: Colors
  stream?: NodeJS.WritableStream
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`
const stamp = () => new Date().toISOString().slice(11, 19)

export function makeDownloadBar(opts: DownloadBarOptions): DownloadProgress {
  const stream = opts.stream ?? process.stderr
  if (opts.quiet) return {start: () => {}, received: () => {}, finish: () => {}}
  return opts.tty ? barProgress(stream, opts) : lineProgress(stream, opts)
}

function lineProgress(stream: NodeJS.WritableStream, opts: DownloadBarOptions): DownloadProgress {
  let started = Date.now()
  let bytes = 0
  return {
    start: (total) => {
      started = Date.now()
      stream.write(`${stamp()} Downloading ${opts.label}${total ? ` (${formatBytes(total)})` : ''}\n`)
    },
    received: (count) => {
      bytes = count
    },
    finish: (ok) => {
      if (ok) stream.write(`${stamp()} Downloaded ${formatBytes(bytes)} (${seconds(started)})\n`)
    },
  }
}

function barProgress(stream: NodeJS.WritableStream, opts: DownloadBarOptions): DownloadProgress {
  const c = opts.colors
  let started = Date.now()
  let total: number | undefined
  let bytes = 0
  let drawn = 0
  const draw = () => {
    drawn = Date.now()
    const amount = total ? `${formatBytes(bytes)} / ${formatBytes(total)}` : formatBytes(bytes)
    const bar = total ? `${c.cyan('█'.repeat(Math.round((WIDTH * bytes) / total)))}${c.dim('░'.repeat(WIDTH - Math.round((WIDTH * bytes) / total)))} ${String(Math.floor((100 * bytes) / total)).padStart(3)}% ` : ''
    stream.write(`\r\x1b[2KDownloading ${opts.label} ${bar}${c.dim(`${amount} ${seconds(started)}`)}`)
  }
  return {
    start: (size) => {
      started = Date.now()
      total = size && size > 0 ? size : undefined
      draw()
    },
    received: (count) => {
      bytes = Math.min(count, total ?? count)
      if (Date.now() - drawn >= REDRAW_MS) draw()
    },
    finish: (ok) => {
      stream.write('\r\x1b[2K')
      if (ok) stream.write(`${c.green('✔')} Downloaded ${opts.label} ${c.dim(`${formatBytes(bytes)} ${seconds(started)}`)}\n`)
    },
  }
}

/** How the download is named on screen: the whole URL in logs, its file name beside a bar; secrets in it for the redactor. */
export function downloadLabels(text: string): {full: string; short: string; secrets: string[]} {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return {full: text, short: text, secrets: []}
  }
  const full = displayUrl(url)
  return {full, short: url.pathname.split('/').filter(Boolean).pop() ?? full, secrets: urlSecrets(url)}
}

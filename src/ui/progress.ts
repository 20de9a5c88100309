// Progress of long operations on stderr: a spinner with elapsed time on a TTY, timestamped lines
// otherwise (CI logs), nothing with --quiet.
import type {Progress} from '../cluster/deps.js'
import type {Colors} from './colors.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface ProgressOptions {
  quiet: boolean
  tty: boolean
  colors: Colors
  stream?: NodeJS.WriteStream
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`
}

export function makeProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr
  if (opts.quiet) return {stage: () => {}, warn: (text) => stream.write(`${opts.colors.yellow('Warning:')} ${text}\n`), done: () => {}}
  if (!opts.tty) return lineProgress(stream, opts.colors)
  return spinnerProgress(stream, opts.colors)
}

function lineProgress(stream: NodeJS.WriteStream, c: Colors): Progress {
  const started = Date.now()
  const stamp = () => new Date().toISOString().slice(11, 19)
  return {
    stage: (text) => stream.write(`${stamp()} ${text}\n`),
    warn: (text) => stream.write(`${stamp()} ${c.yellow('Warning:')} ${text}\n`),
    done: (text) => {
      if (text) stream.write(`${stamp()} ${text} (${seconds(started)})\n`)
    },
  }
}

function spinnerProgress(stream: NodeJS.WriteStream, c: Colors): Progress {
  const started = Date.now()
  let current: string | undefined
  let stageStarted = Date.now()
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const render = () => {
    if (!current) return
    stream.write(`\r\x1b[2K${c.cyan(FRAMES[frame++ % FRAMES.length])} ${current} ${c.dim(seconds(stageStarted))}`)
  }
  const finishLine = () => {
    if (current) stream.write(`\r\x1b[2K${c.green('✔')} ${current} ${c.dim(seconds(stageStarted))}\n`)
    current = undefined
  }
  const stopTimer = () => {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  const stage = (text: string) => {
    finishLine()
    current = text
    stageStarted = Date.now()
    timer ??= setInterval(render, 80)
    timer.unref()
    render()
  }
  return {
    activity: stage,
    stage,
    clear: () => {
      if (current) stream.write('\r\x1b[2K')
      current = undefined
      stopTimer()
    },
    warn: (text) => {
      stream.write(`\r\x1b[2K${c.yellow('Warning:')} ${text}\n`)
      render()
    },
    done: (text) => {
      finishLine()
      stopTimer()
      if (text) stream.write(`${text} ${c.dim(`(${seconds(started)})`)}\n`)
    },
  }
}

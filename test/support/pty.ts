// Runs the built ke inside a pseudo-terminal, for the interactive paths (prompts, progress bar).
// util-linux `script -qfec CMD /dev/null` gives the command a pty as stdin, stdout and stderr; what
// the test writes to script's stdin arrives as typed keys, and script exits with the command's code.
import {spawn, type ChildProcess} from 'node:child_process'
import {KE_BIN, ROOT, keEnv, waitFor, type KeOptions} from './ke.js'

export const KEY = {enter: '\r', down: '\x1b[B', ctrlC: '\x03'} as const

export interface PtySession {
  child: ChildProcess
  /** Everything the terminal showed so far, escape sequences included. */
  output(): string
  /** The same with ANSI escape sequences and carriage returns removed: what a person reads. */
  screen(): string
  type(keys: string): void
  /** Waits until the screen matches. */
  waitFor(pattern: RegExp, what?: string, timeoutMs?: number): Promise<void>
  exited: Promise<number | null>
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]/g

/** Starts `ke ARGS` in a pty. CI is unset (keEnv sets it) unless the test passes it in opts.env. */
export function startKeInPty(args: string[], opts: KeOptions): PtySession {
  const command = [process.execPath, KE_BIN, ...args].map(shellQuote).join(' ')
  const env = keEnv({...opts, env: {CI: undefined, TERM: 'xterm', COLUMNS: '120', ...opts.env}})
  const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe']})
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  let closed: {code: number | null} | undefined
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = {code}
      resolve(code)
    }),
  )
  const screen = () => output.replace(ANSI, '').replace(/\r/g, '')
  return {
    child,
    output: () => output,
    screen,
    type: (keys) => child.stdin!.write(keys),
    waitFor: async (pattern, what, timeoutMs = 20_000) => {
      try {
        await waitFor(() => {
          if (pattern.test(screen())) return true
          // a command that already ended will never show it: fail now rather than at the deadline
          if (closed) throw new Error(`ke exited (${closed.code}) before showing ${what ?? pattern}`)
          return false
        }, what ?? String(pattern), timeoutMs)
      } catch (error) {
        throw new Error(`${(error as Error).message}; the terminal shows:\n${screen()}`)
      }
    },
    exited,
  }
}

// Prompts through inquirer, only at a terminal: never in CI, never with --json, never when stdin or
// stdout is not a TTY (a pipe or a script: there a missing value is a usage error naming the flag).
// @inquirer/prompts costs ~50 ms to load, so it is imported only when a prompt is shown.
import {isatty} from 'node:tty'
import type {CreatePrompt} from '../cluster/create-prompt.js'
import type {Progress} from '../cluster/deps.js'
import {availableDrivers} from '../driver/install/installed.js'
import type {Replacement} from '../driver/install/install.js'
import type {OptionSpec} from '../driver/options/options.js'
import {validateClusterName} from '../store/names.js'
import {KeError} from '../errors.js'
import {exitCodeForSignal, isStopSignal} from '../driver/run/supervisor.js'

export function isInteractive(json: boolean): boolean {
  // isatty, not process.stdin.isTTY: that getter makes stdin's stream (~0.5 ms of every create)
  return isatty(0) && isatty(1) && !process.env.CI && !json
}

/** `signal`: ke's stop signal (Ctrl-C before the prompt showed, SIGTERM while it shows) ends the prompt. */
export async function confirm(message: string, signal?: AbortSignal): Promise<boolean> {
  const {confirm: ask} = await import('@inquirer/prompts')
  return answered(signal, () => ask({message, default: false}, {signal}))
}

const CANCELLED_AT_PROMPT = 'cancelled at the prompt; nothing was changed'

/**
 * Ctrl-C at a prompt is raw-mode input, not a signal: inquirer rejects with ExitPromptError. A stop
 * signal during the prompt rejects it with AbortPromptError; one that came before it showed (a Ctrl-C
 * while ke started) shows none: inquirer, asked with a signal already aborted, leaves stdin open.
 */
async function answered<T>(signal: AbortSignal | undefined, ask: () => Promise<T>): Promise<T> {
  // the exit code a shell expects: that of the signal ke got (the supervisor aborts with its name), else Ctrl-C's
  const cancelled = (message: string) => new KeError('CANCELLED', message, isStopSignal(signal?.reason) ? {exit: exitCodeForSignal(signal.reason)} : {})
  if (signal?.aborted) throw cancelled('interrupted before the prompt; nothing was changed')
  try {
    return await ask()
  } catch (error) {
    const name = (error as Error)?.name
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw cancelled(CANCELLED_AT_PROMPT)
    throw error
  }
}

/** `ke driver install` over an installed driver with different contents. */
export async function confirmReplace(change: Replacement, progress: Progress): Promise<boolean> {
  progress.done()
  const short = (sha: string) => sha.slice(0, 12)
  return confirm(`Driver ${change.name} is installed with different contents (sha256 ${short(change.installedSha256)}). Replace it with the download (sha256 ${short(change.downloadedSha256)})?`)
}

const OTHER = '\0path'

export interface CreatePromptDeps {
  /** $KE_HOME, for the installed drivers to pick from. */
  home: string
  /** A spinner must not draw over a prompt: the current stage is finished first. */
  progress: Progress
  /** ke's stop signal: a Ctrl-C that came before a prompt showed ends it at once. */
  signal?: AbortSignal
}

/** inquirer's validate: true, or the message to show under the prompt. */
function checkName(name: string): true | string {
  try {
    validateClusterName(name)
    return true
  } catch (error) {
    return (error as Error).message
  }
}

/** The answers `ke create` asks for when the driver, the name or a secret option is missing. */
export function createPrompts(deps: CreatePromptDeps): CreatePrompt {
  return {
    async driver() {
      deps.progress.done()
      const {input, select} = await import('@inquirer/prompts')
      const choices = availableDrivers(deps.home).map((driver) => ({
        name: driver.name,
        value: driver.name,
        description: driver.builtin ? 'built into ke' : driver.source ? `installed from ${driver.source}` : 'installed',
      }))
      const picked = await answered(deps.signal, () => select({message: 'Driver', choices: [...choices, {name: 'another driver: enter a path', value: OTHER}]}, {signal: deps.signal}))
      if (picked !== OTHER) return picked
      return answered(deps.signal, () => input({message: 'Path of the driver binary', validate: (text) => (text.trim() ? true : 'enter a path')}, {signal: deps.signal}))
    },
    async name() {
      deps.progress.done()
      const {input} = await import('@inquirer/prompts')
      return (await answered(deps.signal, () => input({message: 'Cluster name', validate: (text) => checkName(text.trim())}, {signal: deps.signal}))).trim()
    },
    async secret(spec: OptionSpec) {
      deps.progress.done()
      const {password} = await import('@inquirer/prompts')
      const answer = await answered(deps.signal, () => password({message: `--${spec.flagName} (secret, Enter to leave unset)`, mask: '*'}, {signal: deps.signal}))
      return answer === '' ? undefined : answer
    },
  }
}

// Prompts through inquirer, only at a terminal: never in CI, never with --json, never when stdin or
// stdout is not a TTY (a pipe or a script: there a missing value is a usage error naming the flag).
// @inquirer/prompts costs ~50 ms to load, so it is imported only when a prompt is shown.
import type {CreatePrompt} from '../cluster/create-prompt.js'
import type {Progress} from '../cluster/deps.js'
import {availableDrivers} from '../driver/install/installed.js'
import type {Replacement} from '../driver/install/install.js'
import type {OptionSpec} from '../driver/options/options.js'
import {validateClusterName} from '../store/names.js'
import {KeError} from '../errors.js'

export function isInteractive(json: boolean): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI && !json
}

export async function confirm(message: string): Promise<boolean> {
  const {confirm: ask} = await import('@inquirer/prompts')
  return answered(ask({message, default: false}))
}

/** Ctrl-C at a prompt is raw-mode input, not a signal: inquirer rejects with ExitPromptError. */
async function answered<T>(question: Promise<T>): Promise<T> {
  try {
    return await question
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError') throw new KeError('CANCELLED', 'cancelled at the prompt; nothing was changed')
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
      const picked = await answered(select({message: 'Driver', choices: [...choices, {name: 'another driver: enter a path', value: OTHER}]}))
      if (picked !== OTHER) return picked
      return answered(input({message: 'Path of the driver binary', validate: (text) => (text.trim() ? true : 'enter a path')}))
    },
    async name() {
      deps.progress.done()
      const {input} = await import('@inquirer/prompts')
      return (await answered(input({message: 'Cluster name', validate: (text) => checkName(text.trim())}))).trim()
    },
    async secret(spec: OptionSpec) {
      deps.progress.done()
      const {password} = await import('@inquirer/prompts')
      const answer = await answered(password({message: `--${spec.flagName} (secret, Enter to leave unset)`, mask: '*'}))
      return answer === '' ? undefined : answer
    },
  }
}

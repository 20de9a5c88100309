// Issue 8: what `ke create` asks at a terminal. The command layer supplies the answers (inquirer);
// the flow only says when to ask. Without a terminal there is no CreatePrompt, and a missing driver or
// name stays a MISSING_VALUE usage error.
import type {ResolvedOption} from '../driver/options/option-values.js'
import type {OptionSpec} from '../driver/options/options.js'

export interface CreatePrompt {
  /** No --driver and no stored cluster to take it from. Returns a driver ref (name or path). */
  driver(): Promise<string>
  /** No NAME argument. Returns a valid cluster name. */
  name(): Promise<string>
  /** A password option nobody set. Undefined (an empty answer) leaves it unset. */
  secret(spec: OptionSpec): Promise<string | undefined>
}

/**
 * Asks for password options left unset by flags, environment, config and defaults. The protocol has
 * no "required" marker (PROTOCOL.md: required options without defaults fail inside Create), so ke
 * cannot know which options a driver needs; a secret with no value is the best guess (API keys,
 * tokens), and an empty answer keeps today's behaviour. Answers count as given on the command line.
 */
export async function askForSecrets(resolved: ResolvedOption[], specs: OptionSpec[], prompt: CreatePrompt): Promise<void> {
  for (const option of resolved) {
    if (!option.password || !option.declared || option.type !== 'string' || option.value !== undefined) continue
    const spec = specs.find((candidate) => candidate.name === option.name)
    const answer = spec && (await prompt.secret(spec))
    if (answer) Object.assign(option, {value: answer, source: 'flag'})
  }
}

import type {Interfaces} from '@oclif/core'
import {KeError} from '../errors.js'
import {shellQuote} from '../shell-quote.js'
import {nearestName} from '../nearest-name.js'

function spaced(id: string): string {
  return id.replaceAll(':', ' ')
}

/** The words up to the first one that is neither a topic nor a command: `driver chek ./x` → `driver chek`. */
function unknownPart(id: string, config: Interfaces.Config): string {
  const words = id.split(':')
  let length = 1
  while (length < words.length && config.findTopic(words.slice(0, length).join(':'))) length++
  return words.slice(0, length).join(':')
}

/** `ke drive` → unknown command `ke drive` (did you mean `ke driver`?), exit 2. */
export function unknownCommand(fullId: string, config: Interfaces.Config): KeError {
  const id = unknownPart(fullId, config)
  const known = [...config.commandIDs, ...config.topics.map((topic) => topic.name)].filter((name) => !config.findCommand(name)?.hidden)
  const near = nearestName(id, known)
  const help = near ? `did you mean \`ke ${spaced(near)}\`? see \`ke --help\`` : 'see `ke --help` for the commands'
  return new KeError('UNKNOWN_COMMAND', `unknown command \`ke ${spaced(id)}\``, {hint: help})
}

/**
 * `ke --quiet ls` → put ke's flags after the command: `ke ls --quiet`, exit 2. oclif reads commands
 * only in front of the flags; the first words that name a command are moved before the flags given ahead of them.
 */
export function flagsBeforeCommand(words: string[], config: Interfaces.Config): KeError {
  for (let start = 1; start < words.length; start++) {
    const length = commandLength(words.slice(start), config)
    if (length === 0) continue
    const line = [...words.slice(start, start + length), ...words.slice(0, start), ...words.slice(start + length)]
    return new KeError('UNKNOWN_COMMAND', `put ke's flags after the command: \`ke ${line.map(shellQuote).join(' ')}\``)
  }
  return new KeError('UNKNOWN_COMMAND', `put ke's flags after the command: \`ke COMMAND ${words.map(shellQuote).join(' ')}\``, {hint: 'see `ke --help` for the commands'})
}

/** How many of the first words name a command (`driver check ./x` → 2), 0 when they name none. */
function commandLength(words: string[], config: Interfaces.Config): number {
  for (let length = words.length; length > 0; length--) {
    if (words.slice(0, length).some((word) => word.startsWith('-'))) continue
    if (config.findCommand(words.slice(0, length).join(':'))) return length
  }
  return 0
}

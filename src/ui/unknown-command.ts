import type {Interfaces} from '@oclif/core'
import {KeError} from '../errors.js'
import {nearestName} from './errors.js'

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

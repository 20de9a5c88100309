// oclif calls this when the words before the first flag name no command. `ke ls extra` reads as the
// command `ls extra`: the longest known command in front runs, and refuses its stray arguments itself
// (ke's usage error, exit 2). Anything else is an unknown command, said in ke's style with the nearest one.
import {Errors, type Hook, type Interfaces} from '@oclif/core'
import {unknownCommand} from '../unknown-command.js'
import {reportError} from '../report-error.js'
import {globalFlagsIn} from '../base-command.js'

const hook: Hook<'command_not_found'> = async function (opts) {
  const words = opts.id.split(':')
  const argv = opts.argv ?? []
  for (let length = words.length - 1; length > 0; length--) {
    const id = words.slice(0, length).join(':')
    if (opts.config.findCommand(id)) return opts.config.runCommand(id, [...words.slice(length), ...argv])
  }
  const error = unknownCommand(opts.id, opts.config)
  const globals = await globalFlagsIn(argv)
  reportError(error, {exit: error.exitCode, redact: (text) => text, debug: Boolean(globals.debug), noColor: Boolean(globals['no-color']), json: Boolean(globals.json)})
  throw new Errors.ExitError(error.exitCode)
}

export default hook

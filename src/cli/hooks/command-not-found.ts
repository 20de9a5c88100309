// oclif calls this when the words before the first flag name no command. `ke ls extra` reads as the
// command `ls extra`: the longest known command in front runs, and refuses its stray arguments itself
// (ke's usage error, exit 2). Anything else is an unknown command, said in ke's style with the nearest one.
import {Errors, type Hook} from '@oclif/core'
import {flagsBeforeCommand, unknownCommand} from '../unknown-command.js'
import {reportError} from '../report-error.js'
import {GLOBAL_FLAGS, JSON_FLAG, globalFlagsIn} from '../command-session.js'
import type {KeError} from '../../errors.js'

const hook: Hook<'command_not_found'> = async function (opts) {
  const argv = opts.argv ?? []
  // one line, whatever those flags ask for (--json, --debug): they are what the line is about
  if (opts.id.startsWith('-')) return fail(flagsBeforeCommand([opts.id, ...argv], opts.config), [])
  const words = opts.id.split(':')
  for (let length = words.length - 1; length > 0; length--) {
    const id = words.slice(0, length).join(':')
    if (opts.config.findCommand(id)) return opts.config.runCommand(id, [...words.slice(length), ...argv])
  }
  return fail(unknownCommand(opts.id, opts.config), argv)
}

async function fail(error: KeError, argv: string[]): Promise<never> {
  const globals = await globalFlagsIn(argv, {...GLOBAL_FLAGS, json: JSON_FLAG})
  reportError(error, {exit: error.exitCode, redact: (text) => text, debug: Boolean(globals.debug), noColor: Boolean(globals['no-color']), json: Boolean(globals.json)})
  throw new Errors.ExitError(error.exitCode)
}

export default hook

// `ke create`: what the oclif command (src/commands/create.ts) and bin/run.js's direct path both run.
import {Args, Flags} from '@oclif/core'
import {runCreate} from '../../cluster/create-flow.js'
import {createPrompts, isInteractive} from '../../ui/prompts.js'
import {misspelledOwnFlag} from '../errors.js'
import {showClusterOutcome} from '../cluster-outcome.js'
import type {EarlyParse} from '../early-flags.js'
import {checkAccessFlag, driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags} from '../common-flags.js'
import {GLOBAL_FLAGS, reservedFlagNamesOf, type CommandSession} from '../command-session.js'
import type {DirectCommand} from './direct-command.js'

/** `ke create --driver D --help` shows the driver's options as flags too. */
function helpCommand(early: Partial<EarlyParse>): string {
  return `ke create --driver ${early.flags?.driver ?? 'D'} --help`
}

const spec = {
  baseFlags: GLOBAL_FLAGS,
  enableJsonFlag: true,
  args: {name: Args.string({description: 'cluster name: lower-case letters, digits and -, at most 63'})},
  flags: {
    ...driverFlag,
    ...optionInputFlags,
    ...driverTimeoutFlags,
    ...driverRuntimeFlags,
    ...setFlags,
    ...checkAccessFlag,
    'display-name': Flags.string({description: 'displayName sent beside name (default: the cluster name)'}),
  },
}

async function run(session: CommandSession) {
  const early = await session.parseEarly(helpCommand)
  const reservedFlags = reservedFlagNamesOf(spec)
  const outcome = await runCreate(session.ctx(), {
    driver: early.flags.driver,
    name: early.name,
    reservedFlags,
    settings: session.driverSettings(),
    // issue 8: at a terminal, ask for a missing driver, name or secret instead of failing
    prompt: isInteractive(session.jsonEnabled()) ? createPrompts(session.ctx()) : undefined,
    misspelledFlag: () => misspelledOwnFlag(early.unknownFlags, {flagNames: [...reservedFlags], helpCommand: 'ke create --help'}),
    parse: (flags, names) => session.parseWithDriverFlags(flags, names, helpCommand(early)),
  })
  return showClusterOutcome(session, outcome, Boolean(early.flags['check-access']))
}

export const createCommand = {id: 'create', spec, run} satisfies DirectCommand

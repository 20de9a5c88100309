// `ke update NAME`: what the oclif command (src/commands/update.ts) and bin/run.js's direct path both run.
import {runUpdate} from '../../cluster/update-flow.js'
import {showClusterOutcome} from '../cluster-outcome.js'
import {checkAccessFlag, driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags} from '../common-flags.js'
import {reservedFlagNamesOf, type CommandSession} from '../command-session.js'
import type {EarlyParse} from '../early-flags.js'
import {ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

/** `ke update NAME --help` shows the driver's update options as flags too. */
function helpCommand(early: Partial<EarlyParse>): string {
  return `ke update ${early.name?.certain ?? early.name?.possible[0] ?? 'NAME'} --help`
}

const spec = {
  ...ONE_CLUSTER_SPEC,
  flags: {...optionInputFlags, ...driverTimeoutFlags, ...driverFlag, ...driverRuntimeFlags, ...setFlags, ...checkAccessFlag},
}

async function run(session: CommandSession) {
  const early = await session.parseEarly(helpCommand)
  const outcome = await runUpdate(session.ctx(), {
    name: early.name,
    unknownFlags: early.unknownFlags,
    reservedFlags: reservedFlagNamesOf(spec),
    settings: session.driverSettings(),
    driver: early.flags.driver,
    parse: (flags, names) => session.parseWithDriverFlags(flags, names, helpCommand(early)),
  })
  return showClusterOutcome(session, outcome, Boolean(early.flags['check-access']))
}

export const updateCommand = {id: 'update', spec, run} satisfies DirectCommand

import {Args} from '@oclif/core'
import {GLOBAL_FLAGS, type CommandSession, type CommandSpec} from '../command-session.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../common-flags.js'

/**
 * A command whose body runs with or without oclif: its oclif class (src/commands/) takes the spec and
 * calls run() with its session; bin/run.js (src/cli/direct.ts) does the same without loading oclif.
 */
export interface DirectCommand {
  id: string
  spec: CommandSpec
  /** The result is what --json prints. */
  run(session: CommandSession): Promise<unknown>
}

/** The spec of a command on the one cluster its argument names, which the others here build on. */
export const ONE_CLUSTER_SPEC = {
  baseFlags: GLOBAL_FLAGS,
  enableJsonFlag: true,
  args: {name: Args.string({description: 'cluster name', required: true})},
  flags: {},
}

/** How a command that runs the cluster's driver starts it: --driver-timeout and the like, --env, --attach. */
export const CLUSTER_DRIVER_FLAGS = {...driverTimeoutFlags, ...driverRuntimeFlags}

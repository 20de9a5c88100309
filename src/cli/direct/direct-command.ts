import type {CommandSession, CommandSpec} from '../command-session.js'

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

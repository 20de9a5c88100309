// Commands run without oclif. `ke create`, `ke env` (or `ke kubeconfig`), `ke inspect` and `ke rm` run
// once per CI job, and loading oclif, its config and its command tree cost more than ke's own part of
// them (`ke ls` has a faster way still: fast-ls.ts); so do the other commands on one cluster: `ke logs`,
// and those that run its driver (`ke update`, `capabilities`, `version`, `size` and `etcd`).
// bin/run.js hands over argv; the command's own body (src/cli/direct/) runs on a CommandSession with
// oclif's parser, as its oclif command runs it (src/commands/), so output, errors and exit codes are the
// same bytes. Help and oclif's debug log (DEBUG=...) are oclif's: those command lines return false and
// run through oclif; KE_DIRECT=0 sends every command line there. Known differences: stack frames under
// --debug, and oclif's "did not parse its arguments" warning, which it prints only in development
// (NODE_ENV=development) for a command that failed before its full parse.
import {Parser} from '@oclif/core'
import {CommandSession, GLOBAL_FLAGS, JSON_FLAG, jsonRequested, type CommandSpec, type ParseFn} from './command-session.js'
import type {DirectCommand} from './direct/direct-command.js'
import {directWordsOf, runsDirect} from './direct-argv.js'
import {ignoreClosedStdout} from './closed-stdout.js'

/** Each command by the words that name it (DIRECT_WORDS); loaded when run. */
const COMMANDS: Record<string, () => Promise<DirectCommand>> = {
  create: async () => (await import('./direct/create.js')).createCommand,
  rm: async () => (await import('./direct/rm.js')).rmCommand,
  remove: async () => (await import('./direct/rm.js')).rmCommand,
  env: async () => (await import('./direct/env.js')).envCommand,
  kubeconfig: async () => (await import('./direct/kubeconfig.js')).kubeconfigCommand,
  inspect: async () => (await import('./direct/inspect.js')).inspectCommand,
  logs: async () => (await import('./direct/logs.js')).logsCommand,
  capabilities: async () => (await import('./direct/driver-queries.js')).capabilitiesCommand,
  'version get': async () => (await import('./direct/driver-queries.js')).versionGetCommand,
  'get-version': async () => (await import('./direct/driver-queries.js')).versionGetCommand,
  'size get': async () => (await import('./direct/driver-queries.js')).sizeGetCommand,
  'get-cluster-size': async () => (await import('./direct/driver-queries.js')).sizeGetCommand,
  update: async () => (await import('./direct/update.js')).updateCommand,
  'size set': async () => (await import('./direct/driver-changes.js')).sizeSetCommand,
  'set-cluster-size': async () => (await import('./direct/driver-changes.js')).sizeSetCommand,
  'version set': async () => (await import('./direct/driver-changes.js')).versionSetCommand,
  'set-version': async () => (await import('./direct/driver-changes.js')).versionSetCommand,
  'etcd save': async () => (await import('./direct/driver-changes.js')).etcdSaveCommand,
  'etcd restore': async () => (await import('./direct/driver-changes.js')).etcdRestoreCommand,
  'etcd remove': async () => (await import('./direct/driver-changes.js')).etcdRemoveCommand,
}

/** oclif's Command.parse without a command around it: the same parser, the same flags. */
const parseWithoutOclif: ParseFn = (options, argv) => {
  const spec = options as CommandSpec
  const flags = {...(spec.enableJsonFlag ? {json: JSON_FLAG} : {}), ...spec.baseFlags, ...spec.flags}
  return Parser.parse(argv, {context: undefined, ...options, flags} as typeof options)
}

/** The command `argv` runs here, or undefined when oclif must run it (help, oclif's debug log, KE_DIRECT=0). */
export function directCommandFor(argv: string[], env: NodeJS.ProcessEnv): (() => Promise<DirectCommand>) | undefined {
  const words = directWordsOf(argv)
  return words !== undefined && runsDirect(argv, env) ? COMMANDS[words] : undefined
}

/** bin/run.js: runs `argv` and returns true when it is a command line run here, else returns false. */
export async function runDirect(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const load = directCommandFor(argv, env)
  if (!load) return false
  ignoreClosedStdout()
  const command = await load()
  const rest = argv.slice(directWordsOf(argv)!.split(' ').length)
  // an alias runs under the command's own id, as in oclif (`ke list --bogus` points to `ke ls --help`)
  const session = new CommandSession({id: command.id, argv: rest, spec: command.spec, globalFlags: GLOBAL_FLAGS, parse: parseWithoutOclif, json: jsonRequested(rest, command.spec.enableJsonFlag, env), env})
  // as oclif's Command._run: init and run, report a failure, then finish; the result under --json
  let result: unknown
  try {
    try {
      await session.init()
      result = await command.run(session)
    } catch (error) {
      session.reportFailure(error)
    } finally {
      await session.finish()
    }
    if (result && session.jsonEnabled()) session.printJson(result)
  } catch (error) {
    // what oclif's own handler would catch (the report itself failing, stdout closed): one line, no stack
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode ||= 1
  }
  return true
}

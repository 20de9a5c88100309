// How the user ran ke, so that a command line ke prints for them to run next (the `use it:` line after
// a create) runs as printed: `ke` once it is on PATH (npm link, npm install -g), else the way README's
// set-up runs it, `node bin/run.js`, where the shell has no `ke` yet.
import {basename, isAbsolute, relative} from 'node:path'
import {shellQuote} from '../driver/binary/problems.js'

/** `ke`, or `node PATH` when ke was run as its script (bin/run.js): PATH relative to `cwd` when under it. */
export function keInvocation(script = process.argv[1] ?? '', cwd = process.cwd()): string {
  if (basename(script) !== 'run.js') return 'ke'
  const fromCwd = relative(cwd, script)
  const path = fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : script
  return `node ${shellQuote(path)}`
}

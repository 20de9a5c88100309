// What bin/run.js loads for `ke create`, `env`, `rm` and the other commands of direct-argv.ts's
// DIRECT_WORDS: the commands without oclif (direct.ts, and all they load) are one CommonJS file of ke's
// build with V8's code cache beside it (scripts/bundle.js), run from that cache (os/code-cache.ts). As
// ES modules they were compiled anew on every run: that was a third of what ke itself spent on a create
// with a quick driver.
import {fileURLToPath} from 'node:url'
import {requireWithCodeCache} from '../os/code-cache.js'
import type * as Direct from './direct.js'
import {runsDirect} from './direct-argv.js'

/** What scripts/bundle.js writes to dist/b/direct/: the commands, V8's code cache of them beside it (codeCacheFileOf). */
export const DIRECT_FILE = 'direct.cjs'

/** bin/run.js: runs `argv` and returns true when it is a command line run without oclif, else returns false. */
export async function runDirect(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!runsDirect(argv, env)) return false
  // in ke's bundles import.meta.url is this module's URL in dist/ (scripts/bundle.js rewrites it)
  const file = fileURLToPath(new URL(`../b/direct/${DIRECT_FILE}`, import.meta.url))
  const direct = requireWithCodeCache(file) as typeof Direct
  return direct.runDirect(argv, env)
}

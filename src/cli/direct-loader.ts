// What bin/run.js loads for `ke create`, `env`, `rm` and the other commands of direct-argv.ts's
// DIRECT_WORDS: the commands without oclif (direct.ts, and all they load) are one CommonJS file of ke's
// build with V8's code cache beside it (scripts/bundle.js), run from that cache (os/code-cache.ts). As
// ES modules they were compiled anew on every run: that was a third of what ke itself spent on a create
// with a quick driver.
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {readCodeCache, runWithCodeCache} from '../os/code-cache.js'
import type * as Direct from './direct.js'
import {runsDirect} from './direct-argv.js'

/** What scripts/bundle.js writes to dist/b/direct/: the commands, and V8's code cache of them. */
export const DIRECT_FILE = 'direct.cjs'
export const DIRECT_CACHE = 'direct.cache'

/** bin/run.js: runs `argv` and returns true when it is a command line run without oclif, else returns false. */
export async function runDirect(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!runsDirect(argv, env)) return false
  // in ke's bundles import.meta.url is this module's URL in dist/ (scripts/bundle.js rewrites it)
  const file = fileURLToPath(new URL(`../b/direct/${DIRECT_FILE}`, import.meta.url))
  const direct = runWithCodeCache(file, readCodeCache(join(dirname(file), DIRECT_CACHE))).exports as typeof Direct
  return direct.runDirect(argv, env)
}

// What bin/run.js loads for a command line oclif runs (help, `driver ...`, `store ...`, `controller`,
// `access`, and any form the faster paths leave to it): oclif, ke's commands, its help class and hook,
// as one CommonJS file of ke's build with V8's code cache beside it (scripts/bundle.js), run from that
// cache (os/code-cache.ts). As ES modules they were compiled anew on every run: most of what such a
// command cost over Node's own start.
import {fileURLToPath} from 'node:url'
import {requireWithCodeCache} from '../os/code-cache.js'

/** What scripts/bundle.js writes to dist/b/direct/: oclif with ke's commands. */
export const OCLIF_FILE = 'oclif.cjs'

/**
 * The module bin/run.js requires, and package.json's `oclif` section names for the commands, the help
 * class and the hook: its exports are the bundle's, so that oclif's config finds these very classes.
 */
export const OCLIF_MAIN_FILE = 'oclif-main.cjs'

/** What bin/run.js takes of the bundle: oclif's `execute` (package.json names its COMMANDS, Help and commandNotFound for oclif's config). */
export interface OclifBundle {
  execute(options: {dir: string; args?: string[]}): Promise<unknown>
}

/** oclif-main.cjs: the bundle, run from its code cache. */
export function loadOclif(): OclifBundle {
  // in ke's bundles import.meta.url is this module's URL in dist/ (scripts/bundle.js rewrites it)
  return requireWithCodeCache(fileURLToPath(new URL(`../b/direct/${OCLIF_FILE}`, import.meta.url))) as OclifBundle
}

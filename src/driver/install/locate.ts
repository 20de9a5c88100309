import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {delimiter, isAbsolute, join, resolve} from 'node:path'
import {createRequire} from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {KeError} from '../../errors.js'

export const DRIVER_PREFIX = 'kontainer-engine-driver-'

interface BuiltinDriver {
  /** Bundled by scripts/bundle.js: a built-in driver's first answer is on every create's path. */
  script: string
  /** Variables of ke's environment it is started without: none it could ever read. */
  unusedEnv?: readonly string[]
}

/** Drivers that ship inside ke, run with the same Node that runs ke. */
export const BUILTIN_DRIVERS: Record<string, BuiltinDriver> = {
  // The sample makes no TLS connection (its cloud is a directory), and Node 20 parses the file that
  // NODE_EXTRA_CA_CERTS names at every start, before any code runs: ~40 ms where it names the system
  // bundle (CI's machines do), on the path of every create and rm.
  sample: {script: '../../b/drivers/sample.js', unusedEnv: ['NODE_EXTRA_CA_CERTS']},
  import: {script: '../../b/drivers/import.js'},
}

/** How to start one driver. `display` is what messages call it. */
export interface DriverCommand {
  display: string
  /** What the user asked for (`sample`, `./x`, `lke`); stored with the cluster to find it again. */
  ref: string
  /** The executable file (for a built-in: the script), checked when the driver fails to start. */
  file: string
  command: string
  args: string[]
  builtin: boolean
  /** Variables of ke's environment the driver is started without (a built-in's unusedEnv). */
  unusedEnv?: readonly string[]
  /** A JavaScript or TypeScript source file, run by the Node that runs ke. */
  script?: boolean
  /** Where a name that is no built-in was found as a file. */
  foundAs?: 'installed' | 'on PATH'
}

export type DriverFoundAs = 'built into ke' | NonNullable<DriverCommand['foundAs']>

const SCRIPT_SOURCE = /\.[cm]?[jt]s$/

/** A JavaScript or TypeScript source file: ke runs it with its own Node (TypeScript through its tsx). */
export function isScriptSource(path: string): boolean {
  return SCRIPT_SOURCE.test(path)
}

/** `my-driver.ts` → `my-driver`: a source file's name without its suffix. */
export function withoutScriptSuffix(name: string): string {
  return name.replace(SCRIPT_SOURCE, '')
}

/**
 * `node FILE`, and for TypeScript `node --import <tsx> FILE`: the loader is the one installed with ke,
 * found from ke's own files, so a driver runs from source whatever the current directory and whether
 * or not its project has tsx.
 */
function scriptCommand(file: string, display: string): DriverCommand {
  const loader = file.endsWith('ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []
  return {display, ref: file, file, command: process.execPath, args: [...loader, file], builtin: false, script: true}
}

function isPathLike(ref: string): boolean {
  return ref.includes('/') || ref.startsWith('.') || SCRIPT_SOURCE.test(ref)
}

/** A regular file (a symbolic link to one too): false for a folder or nothing there. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
  } catch {
    return false
  }
  return isFile(path)
}

/** The file an installed driver NAME is: `kontainer-engine-driver-NAME`. */
function driverFileName(name: string): string {
  return name.startsWith(DRIVER_PREFIX) ? name : DRIVER_PREFIX + name
}

/**
 * Resolves `--driver`: a path (a `.js` or `.ts` file, also `.mjs`/`.mts`/`.cjs`/`.cts`, is run
 * from source by Node); a built-in name; or NAME as `kontainer-engine-driver-NAME` in
 * `$KE_HOME/drivers/` and then on PATH.
 */
export function locateDriver(ref: string, env: {home: string; cwd: string; path?: string}): DriverCommand {
  if (!ref.trim()) throw new KeError('BAD_FLAG', '--driver is empty', {hint: 'pass a driver path or name: --driver sample'})
  if (isPathLike(ref)) {
    const file = isAbsolute(ref) ? ref : resolve(env.cwd, ref)
    if (SCRIPT_SOURCE.test(file)) return scriptCommand(file, ref)
    return {display: ref, ref: file, file, command: file, args: [], builtin: false}
  }
  const builtin = BUILTIN_DRIVERS[ref]
  if (builtin) {
    const script = fileURLToPath(new URL(builtin.script, import.meta.url))
    return {display: ref, ref, file: script, command: process.execPath, args: [script], builtin: true, unusedEnv: builtin.unusedEnv}
  }
  const fileName = driverFileName(ref)
  const dirs = [join(env.home, 'drivers'), ...(env.path ?? '').split(delimiter).filter(Boolean)]
  const candidates = dirs.map((dir) => join(dir, fileName))
  // one that runs first; else one that is there but cannot run, so that starting it says why
  const runnable = candidates.findIndex(isExecutableFile)
  const index = runnable >= 0 ? runnable : candidates.findIndex((candidate) => existsSync(candidate))
  if (index >= 0) {
    const file = candidates[index]
    return {display: ref, ref, file, command: file, args: [], builtin: false, foundAs: index === 0 ? 'installed' : 'on PATH'}
  }
  throw new KeError('DRIVER_NOT_FOUND', `driver ${ref} not found: no ${fileName} in ${join(env.home, 'drivers')} or on PATH`, {
    driver: ref,
    hint: `pass a path (--driver ./${fileName}), install it with \`ke driver install URL\`, or use --driver sample`,
  })
}

/** What `ke driver check REF` reads and starts. */
export interface CheckTarget {
  /** The file read: as given, or what a name resolved to (for a built-in, its script). */
  file: string
  /** What starts it, as `--driver` takes it. */
  ref: string
  /** Where a name that is no file here was found. */
  foundAs?: DriverFoundAs
  /** What to say of a missing file, where REF was a name found neither here nor as a driver. */
  missing?: {message: string; hint: string}
}

/**
 * `ke driver check REF`: a file, as given; else what `--driver REF` would run (a built-in, or one
 * installed or on PATH), so that a name checks as it is used. A folder of that name (a driver's source
 * next to where it is checked) does not hide the driver; where no driver has the name, it is what is read.
 */
export function locateCheckTarget(ref: string, env: {home: string; cwd: string; path?: string}): CheckTarget {
  if (!ref.trim()) throw new KeError('BAD_ARGUMENT', 'the driver to check is empty', {hint: 'pass a driver binary\'s path or a driver\'s name: ke driver check sample'})
  const asFile = {file: ref, ref: resolve(env.cwd, ref)}
  if (isPathLike(ref) || isFile(asFile.ref)) return asFile
  try {
    const driver = locateDriver(ref, env)
    if (driver.builtin) return {file: driver.file, ref, foundAs: 'built into ke'}
    return {file: driver.file, ref: driver.file, foundAs: driver.foundAs}
  } catch (error) {
    if (!(error instanceof KeError) || error.keCode !== 'DRIVER_NOT_FOUND') throw error
    const builtins = Object.keys(BUILTIN_DRIVERS).join(', ')
    const message = `${ref} is no file here, no built-in driver (${builtins}), and no ${driverFileName(ref)} in ${join(env.home, 'drivers')} or on PATH`
    return {...asFile, missing: {message, hint: "pass the driver's path, or install it with `ke driver install URL`"}}
  }
}

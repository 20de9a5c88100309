// What `ke driver package ENTRY -o FILE` works on: the entry file, the driver's name, and where the
// executable goes. Names follow Rancher's rules (PROTOCOL.md, "How Rancher installs a driver from a URL"):
// a downloaded binary must be called kontainer-engine-driver-*, and its name is what follows, cut at
// the first `-`, `_` or `.` (kontainer-engine-driver-lke-v0.0.13-linux-amd64 -> lke).
import {existsSync, statSync} from 'node:fs'
import {basename, dirname, extname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {DRIVER_PREFIX} from '../driver/install/locate.js'
import {KeError} from '../errors.js'

export interface DriverEntry {
  /** Absolute path of the file esbuild starts from. */
  file: string
  /** The driver's name as Rancher will know it. */
  name: string
}

export interface OutputPlan {
  /** Absolute path of the executable. */
  executable: string
  /** The driver's name as Rancher will know it (from the executable's file name when -o gives one). */
  name: string
  /** The file name inside the archive: Rancher takes the whole rest after the prefix as the name there. */
  archiveEntry: string
  warnings: string[]
}

const ENTRY_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'])

/** File and directory names that say nothing about which driver it is. */
const GENERIC_NAMES = new Set(['main', 'index', 'driver', 'server', 'cli', 'app', 'src', 'dist', 'lib', 'build', 'out', 'bin'])

/** The built-in sample: its TypeScript source in a checkout of ke, else the built script. */
const SAMPLE_ENTRIES = ['../../src/builtin-drivers/sample/main.ts', '../builtin-drivers/sample/main.js']

/** Rancher's name for a binary downloaded as `fileName`; undefined when the prefix is missing. */
export function rancherDriverName(fileName: string): string | undefined {
  if (!fileName.startsWith(DRIVER_PREFIX)) return undefined
  return fileName.slice(DRIVER_PREFIX.length).split(/[-_.]/)[0] || undefined
}

/** `acme-cloud` -> `acme`: cut as Rancher cuts, lower case, letters and digits only. */
function driverNameFrom(text: string): string {
  const rest = text.startsWith(DRIVER_PREFIX) ? text.slice(DRIVER_PREFIX.length) : text
  return rest.split(/[-_.]/)[0].toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** The name a driver's files suggest: the entry's own name, else the nearest telling directory. */
export function nameFromEntryPath(file: string): string | undefined {
  const candidates = [basename(file, extname(file))]
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) candidates.push(basename(dir))
  for (const candidate of candidates) {
    if (GENERIC_NAMES.has(candidate.toLowerCase())) continue
    const name = driverNameFrom(candidate)
    if (name) return name
  }
  return undefined
}

function sampleEntry(): string {
  const files = SAMPLE_ENTRIES.map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  const found = files.find((file) => existsSync(file))
  if (!found) throw new KeError('INTERNAL', `the built-in sample driver is missing: none of ${files.join(', ')} exists`, {hint: 'reinstall ke'})
  return found
}

/** ENTRY as the user typed it: `sample`, or a path to a .ts/.js file. */
export function resolveEntry(ref: string, cwd: string): DriverEntry {
  if (ref === 'sample') return {file: sampleEntry(), name: 'sample'}
  const file = resolve(cwd, ref)
  if (!existsSync(file)) {
    throw new KeError('BAD_ARGUMENT', `ENTRY ${ref} does not exist`, {hint: "pass your driver's entry file (the one that calls serveDriver), or sample"})
  }
  if (!statSync(file).isFile() || !ENTRY_EXTENSIONS.has(extname(file))) {
    throw new KeError('BAD_ARGUMENT', `ENTRY ${ref} is not a TypeScript or JavaScript file`, {
      hint: "pass your driver's entry file (the one that calls serveDriver): .ts, .mts, .js or .mjs",
    })
  }
  const name = nameFromEntryPath(file)
  if (!name) {
    throw new KeError('BAD_ARGUMENT', `cannot tell the driver's name from ${ref}`, {hint: `name the executable: -o ./${DRIVER_PREFIX}NAME`})
  }
  return {file, name}
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

/**
 * Where the executable goes: `-o FILE`, `-o DIR/`, or kontainer-engine-driver-NAME in the current
 * directory. With `archive`, Rancher takes the driver's name from the archive's entry, whatever -o says.
 */
export function planOutput(entry: DriverEntry, output: string | undefined, cwd: string, {archive = false} = {}): OutputPlan {
  const defaultFile = `${DRIVER_PREFIX}${entry.name}`
  if (output === undefined || output.endsWith('/') || isDirectory(resolve(cwd, output))) {
    const executable = join(resolve(cwd, output ?? '.'), defaultFile)
    return {executable, name: entry.name, archiveEntry: defaultFile, warnings: []}
  }
  if (/\.(tar\.gz|tgz|zip)$/.test(output)) {
    throw new KeError('BAD_FLAG', `-o ${output} names an archive, but -o names the executable`, {hint: `use -o ./${defaultFile} --archive: the archive is written beside it as ${defaultFile}.tar.gz`})
  }
  const executable = resolve(cwd, output)
  const fileName = basename(executable)
  const name = rancherDriverName(fileName)
  if (name) return {executable, name, archiveEntry: `${DRIVER_PREFIX}${name}`, warnings: []}
  const warning = fileName.startsWith(DRIVER_PREFIX)
    ? `${fileName} has no name after ${DRIVER_PREFIX}: Rancher cannot name this driver`
    : `${fileName} does not start with ${DRIVER_PREFIX}: Rancher installs a driver binary only from a URL whose file name does (or use --archive)`
  return {executable, name: entry.name, archiveEntry: defaultFile, warnings: archive ? [] : [warning]}
}

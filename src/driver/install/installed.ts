// Drivers installed under $KE_HOME/drivers: the binaries themselves (kontainer-engine-driver-<name>,
// found by `--driver <name>`) and installed.json, which remembers where each came from.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import lockfile from 'proper-lockfile'
import {KeError} from '../../errors.js'
import {ensurePrivateDir, writeFileAtomic} from '../../fs/atomic.js'
import type {HashAlgorithm} from './checksum.js'
import {BUILTIN_DRIVERS, DRIVER_PREFIX, isFile} from './locate.js'

const SCHEMA_VERSION = 1
const RECORDS_FILE = 'installed.json'

export interface InstalledChecksum {
  algorithm: HashAlgorithm
  hex: string
  /** True when the user gave this checksum and the download matched it; false when ke computed it. */
  verified: boolean
}

export interface InstalledRecord {
  name: string
  /** The URL as given, without credentials or signature-like query values. */
  source: string
  checksum: InstalledChecksum
  installedAt: string
  bytes: number
  /** The file's path inside the archive it came from, when it came from one. */
  archiveEntry?: string
}

/** One row of `ke driver ls`: a file in the drivers directory, a record, or both. */
export interface DriverListing {
  name: string
  path: string
  /** The binary is there (a record whose file was deleted by hand says false). */
  present: boolean
  record?: InstalledRecord
}

interface RecordsFile {
  schemaVersion: number
  drivers: Record<string, InstalledRecord>
}

export function driversDir(home: string): string {
  return join(home, 'drivers')
}

export function driverPath(home: string, name: string): string {
  return join(driversDir(home), DRIVER_PREFIX + name)
}

/**
 * A driver name becomes part of a file name and of `--driver NAME`: letters, digits, `.`, `_`, `-`,
 * starting with a letter or digit; not a built-in name, which `--driver` would pick first.
 */
export function validateDriverName(name: string, from: string): string {
  const code = from === '--name' ? 'BAD_FLAG' : 'BAD_ARGUMENT'
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) {
    throw new KeError(code, `driver name ${JSON.stringify(name)} (${from}) is not valid: use letters, digits, ., _ and -, starting with a letter or digit, at most 63`, {
      hint: from === '--name' ? 'e.g. --name lke' : 'pass --name NAME to choose the name',
    })
  }
  if (BUILTIN_DRIVERS[name]) {
    throw new KeError(code, `driver name ${name} (${from}) is taken by ke's built-in ${name} driver`, {hint: 'pass another --name'})
  }
  return name
}

export function readInstalled(home: string): Record<string, InstalledRecord> {
  const path = join(driversDir(home), RECORDS_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw unreadable(path, (error as Error).message)
  }
  let data: RecordsFile
  try {
    data = JSON.parse(text) as RecordsFile
  } catch (error) {
    throw unreadable(path, `not valid JSON (${(error as Error).message})`)
  }
  if (typeof data?.schemaVersion !== 'number' || typeof data.drivers !== 'object' || data.drivers === null) throw unreadable(path, 'no schemaVersion or drivers')
  if (data.schemaVersion > SCHEMA_VERSION) {
    throw new KeError('STATE_FROM_NEWER_KE', `${path} was written by a newer ke (schema ${data.schemaVersion}, this ke reads ${SCHEMA_VERSION})`, {hint: 'upgrade ke'})
  }
  return data.drivers
}

function unreadable(path: string, reason: string): KeError {
  return new KeError('STATE_UNREADABLE', `${path} is unreadable: ${reason}`, {hint: `move it away; the drivers themselves stay installed and \`ke driver ls\` still lists them`})
}

function writeInstalled(home: string, drivers: Record<string, InstalledRecord>): void {
  const sorted = Object.fromEntries(Object.entries(drivers).sort(([a], [b]) => a.localeCompare(b)))
  writeFileAtomic(join(driversDir(home), RECORDS_FILE), `${JSON.stringify({schemaVersion: SCHEMA_VERSION, drivers: sorted} satisfies RecordsFile, null, 2)}\n`)
}

/**
 * Runs `change` holding the drivers lock, so two installs at once do not lose each other's record.
 * Waits for the other ke (installs are short) rather than failing.
 */
export async function withDriversLock<T>(home: string, change: () => T | Promise<T>): Promise<T> {
  const dir = driversDir(home)
  ensurePrivateDir(dir)
  const release = await lockfile.lock(join(dir, RECORDS_FILE), {
    realpath: false,
    stale: 15_000,
    retries: {retries: 100, minTimeout: 20, maxTimeout: 200},
    onCompromised: () => {},
  })
  try {
    return await change()
  } finally {
    await release().catch(() => {})
  }
}

/** Call under withDriversLock. */
export function saveRecord(home: string, record: InstalledRecord): void {
  writeInstalled(home, {...readInstalled(home), [record.name]: record})
}

/** Call under withDriversLock. True when there was a record. */
export function dropRecord(home: string, name: string): boolean {
  const drivers = readInstalled(home)
  if (!drivers[name]) return false
  delete drivers[name]
  writeInstalled(home, drivers)
  return true
}

/** Binaries named kontainer-engine-driver-* in the drivers directory, and records, by name. */
export function listDrivers(home: string, records: Record<string, InstalledRecord>): DriverListing[] {
  const dir = driversDir(home)
  const byName = new Map<string, DriverListing>()
  for (const entry of safeReaddir(dir)) {
    if (!entry.startsWith(DRIVER_PREFIX) || entry.length === DRIVER_PREFIX.length) continue
    const path = join(dir, entry)
    if (!isFile(path)) continue
    const name = entry.slice(DRIVER_PREFIX.length)
    byName.set(name, {name, path, present: true, record: records[name]})
  }
  for (const [name, record] of Object.entries(records)) {
    if (!byName.has(name)) byName.set(name, {name, path: driverPath(home, name), present: existsSync(driverPath(home, name)), record})
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

export interface AvailableDriver {
  name: string
  builtin: boolean
  /** Where the installed one came from, when recorded. */
  source?: string
}

/** Drivers `--driver NAME` finds without a path: the built-ins shipped in this build, then installed ones. */
export function availableDrivers(home: string): AvailableDriver[] {
  const builtins = Object.entries(BUILTIN_DRIVERS)
    // same directory as locate.ts, so the relative script paths resolve the same way
    .filter(([, {script}]) => existsSync(fileURLToPath(new URL(script, import.meta.url))))
    .map(([name]) => ({name, builtin: true}))
  let records: Record<string, InstalledRecord> = {}
  try {
    records = readInstalled(home)
  } catch {
    // an unreadable record file must not hide the drivers themselves
  }
  const installed = listDrivers(home, records)
    .filter((listing) => listing.present)
    .map((listing) => ({name: listing.name, builtin: false, ...(listing.record ? {source: listing.record.source} : {})}))
  return [...builtins, ...installed]
}

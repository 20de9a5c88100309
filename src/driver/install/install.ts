// `ke driver install URL`: Rancher's "Add Cluster Driver" for the command line. Download, verify,
// find the driver (bare ELF or inside a tar/zip), name it as Rancher does, and put it in
// $KE_HOME/drivers atomically. Every step works in a private staging directory inside the drivers
// directory, so the final rename is atomic and a failure at any step leaves nothing installed.
import {createHash} from 'node:crypto'
import {createReadStream, existsSync} from 'node:fs'
import {chmod, mkdtemp, readdir, rename, rm, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import type {Progress} from '../../cluster/deps.js'
import {KeError} from '../../errors.js'
import {ensurePrivateDir} from '../../fs/atomic.js'
import {ARCHIVE_NOT_A_DRIVER, describeHead, detectKind, extractDriverCandidates} from './archive.js'
import {checkBinary, describeBinaryProblem} from '../binary/index.js'
import {assertChecksum, parseChecksum, type ExpectedChecksum, type HashAlgorithm} from './checksum.js'
import {displayUrl, download, parseDownloadUrl, type DownloadProgress} from './download.js'
import {driverPath, driversDir, saveRecord, validateDriverName, withDriversLock, type InstalledRecord} from './installed.js'
import {DRIVER_PREFIX} from './locate.js'

export interface InstallRequest {
  url: string
  /** --name: overrides the name Rancher's rules give. */
  name?: string
  /** --checksum: hex digest; its length picks the algorithm. */
  checksum?: string
  /** --force: replace an installed driver of that name whatever it holds. */
  force?: boolean
  /** Asks whether to replace an installed driver with different contents; only at a terminal. */
  confirmReplace?: (change: Replacement) => Promise<boolean>
}

/** An installed driver about to be replaced by different contents. */
export interface Replacement {
  name: string
  installedSha256: string
  downloadedSha256: string
}

export interface InstallDeps {
  home: string
  progress: Progress
  download?: DownloadProgress
  /** Aborted on Ctrl-C: the download stops and the staging directory is removed. */
  signal?: AbortSignal
}

export interface InstallResult extends InstalledRecord {
  path: string
  /** A driver of that name was there before and was replaced. */
  replaced: boolean
  warnings: string[]
}

/** What the downloaded file turned out to hold. */
interface FoundDriver {
  file: string
  name: string
  archiveEntry?: string
}

export async function installDriver(deps: InstallDeps, req: InstallRequest): Promise<InstallResult> {
  // all input is checked before a byte is downloaded
  const url = parseDownloadUrl(req.url)
  const expected = req.checksum === undefined ? undefined : parseChecksum(req.checksum)
  if (req.name !== undefined) validateDriverName(req.name, '--name')
  const shown = displayUrl(url)
  const warnings: string[] = []
  if (expected?.weak) warn(deps, warnings, 'md5 checksums are weak (collisions can be made on purpose); prefer --checksum with sha256')

  ensurePrivateDir(driversDir(deps.home))
  await removeStaleStaging(driversDir(deps.home))
  const staging = await mkdtemp(join(driversDir(deps.home), STAGING_PREFIX))
  try {
    const downloaded = join(staging, 'download')
    const result = await download({url, dest: downloaded, algorithms: algorithmsFor(expected), progress: deps.download, signal: deps.signal})
    const checksum = verify(deps, expected, result.digests, shown)
    const found = await findDriver(downloaded, url, staging, req.name, (text) => warn(deps, warnings, text))
    await assertMayReplace(deps.home, found, result.digests.sha256!, req)
    deps.progress.stage(`Installing driver ${found.name}`)
    const record: InstalledRecord = {
      name: found.name,
      source: shown,
      checksum,
      installedAt: new Date().toISOString(),
      bytes: result.bytes,
      ...(found.archiveEntry ? {archiveEntry: found.archiveEntry} : {}),
    }
    const {path, replaced} = await placeDriver(deps.home, found.file, record)
    await warnIfCannotRun(path, (text) => warn(deps, warnings, text))
    deps.progress.done()
    return {...record, path, replaced, warnings}
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

/**
 * Replacing an installed driver with other contents changes what every cluster made by it runs: it is
 * asked at a terminal and needs --force elsewhere. The same contents again are simply reinstalled.
 */
async function assertMayReplace(home: string, found: FoundDriver, downloadedSha256: string, req: InstallRequest): Promise<void> {
  const path = driverPath(home, found.name)
  if (req.force || !existsSync(path)) return
  // an archive's driver is not the downloaded file: compare the binaries themselves
  const downloaded = found.archiveEntry ? await sha256Of(found.file) : downloadedSha256
  const installed = await sha256Of(path)
  if (installed === downloaded) return
  const change = {name: found.name, installedSha256: installed, downloadedSha256: downloaded}
  if (req.confirmReplace && (await req.confirmReplace(change))) return
  const why = req.confirmReplace ? 'and was kept' : 'and is not replaced without --force'
  throw new KeError('DRIVER_EXISTS', `driver ${found.name} is already installed with different contents (sha256 ${installed.slice(0, 12)}, the download ${downloaded.slice(0, 12)}) ${why}`, {
    hint: `pass --force to replace it; clusters made with driver ${found.name} then run the new one`,
  })
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Moves the driver into place and records it, under the drivers lock. */
async function placeDriver(home: string, file: string, record: InstalledRecord): Promise<{path: string; replaced: boolean}> {
  const path = driverPath(home, record.name)
  return withDriversLock(home, async () => {
    const replaced = existsSync(path)
    await chmod(file, 0o755)
    // same directory, so rename is atomic: `--driver NAME` sees the old binary or the new one
    await rename(file, path)
    saveRecord(home, record)
    return {path, replaced}
  })
}

const STAGING_PREFIX = '.install-'
/** Longer than any install takes: a staging directory this old belongs to a ke that was killed (kill -9). */
const STALE_STAGING_MS = 24 * 60 * 60 * 1000

async function removeStaleStaging(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(STAGING_PREFIX)) continue
    const path = join(dir, entry)
    const {mtimeMs} = await stat(path).catch(() => ({mtimeMs: Date.now()}))
    if (Date.now() - mtimeMs > STALE_STAGING_MS) await rm(path, {recursive: true, force: true})
  }
}

function warn(deps: InstallDeps, warnings: string[], text: string): void {
  warnings.push(text)
  deps.progress.warn(text)
}

/**
 * Rancher installs any ELF file; a driver built for another OS or CPU then fails at start-up. It is
 * installed all the same (the user may copy $KE_HOME elsewhere), but said at once, not at `ke create`.
 */
async function warnIfCannotRun(path: string, warn: (text: string) => void): Promise<void> {
  const problem = describeBinaryProblem(await checkBinary(path))
  if (problem) warn(`installed, but it cannot run here: ${problem.message} (${problem.hint})`)
}

/** sha256 is always computed, so `ke driver ls` can show what was installed even without --checksum. */
function algorithmsFor(expected: ExpectedChecksum | undefined): HashAlgorithm[] {
  return expected && expected.algorithm !== 'sha256' ? [expected.algorithm, 'sha256'] : ['sha256']
}

function verify(deps: InstallDeps, expected: ExpectedChecksum | undefined, digests: Partial<Record<HashAlgorithm, string>>, shown: string) {
  if (!expected) return {algorithm: 'sha256' as const, hex: digests.sha256!, verified: false}
  deps.progress.stage(`Verifying ${expected.algorithm} checksum`)
  assertChecksum(expected, digests[expected.algorithm]!, shown)
  return {algorithm: expected.algorithm, hex: expected.hex, verified: true}
}

/** Rancher's rules: an ELF file is the driver; anything else must be an archive holding one. */
async function findDriver(file: string, url: URL, staging: string, name: string | undefined, warn: (text: string) => void): Promise<FoundDriver> {
  const kind = await detectKind(file)
  if (kind === 'elf') return {file, name: name ?? nameFromUrl(url)}
  if (kind === 'unknown') {
    throw new KeError('DOWNLOAD_FAILED', `${displayUrl(url)} is neither a driver binary (ELF) nor a tar or zip archive: the file ${await describeHead(file)}`, {
      hint: 'check the URL: it must point at a kontainer-engine-driver-* Linux binary or an archive holding one',
    })
  }
  const [first, ...others] = await extractDriverCandidates(file, kind, join(staging, 'unpacked'))
  if (!first) throw new KeError('DOWNLOAD_FAILED', ARCHIVE_NOT_A_DRIVER, {hint: `${displayUrl(url)} is a ${kind === 'zip' ? 'zip' : 'tar'} archive without an ELF file named ${DRIVER_PREFIX}*`})
  if (others.length) warn(`the archive holds ${others.length + 1} drivers; installing ${first.entry} (others: ${others.map((o) => o.entry).join(', ')})`)
  const derived = basename(first.entry).slice(DRIVER_PREFIX.length)
  return {file: first.file, name: name ?? validateDriverName(derived, `from ${first.entry} in the archive`), archiveEntry: first.entry}
}

/**
 * A bare binary is named after its URL, as Rancher does: the last path part must start with
 * kontainer-engine-driver-, and the name is the rest cut at the first `-`, `_` or `.`
 * (`kontainer-engine-driver-lke-v0.0.13-linux-amd64` -> `lke`). With --name the URL may be anything.
 */
export function nameFromUrl(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '')
  if (!last.startsWith(DRIVER_PREFIX)) {
    throw new KeError('BAD_ARGUMENT', `the URL's file name ${JSON.stringify(last)} does not start with ${DRIVER_PREFIX}, so the driver has no name`, {
      hint: 'pass --name NAME; Rancher itself only accepts bare drivers whose URL ends in kontainer-engine-driver-NAME',
    })
  }
  const name = last.slice(DRIVER_PREFIX.length).split(/[-_.]/)[0]
  if (!name) throw new KeError('BAD_ARGUMENT', `the URL's file name ${JSON.stringify(last)} gives an empty driver name`, {hint: 'pass --name NAME'})
  return validateDriverName(name, "from the URL's file name")
}

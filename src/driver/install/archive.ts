// What a downloaded driver file is, and the driver inside an archive. Rancher takes an ELF file as the
// driver itself and unpacks anything else (tar, then zip), looking for an ELF file named
// kontainer-engine-driver-* (PROTOCOL.md "How Rancher installs a driver from a URL").
import {createWriteStream, lstatSync} from 'node:fs'
import {mkdir, open} from 'node:fs/promises'
import {basename, isAbsolute, join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {KeError} from '../../errors.js'
import {DRIVER_PREFIX} from './locate.js'

export type DownloadKind = 'elf' | 'gzip' | 'tar' | 'zip' | 'unknown'

export const ARCHIVE_NOT_A_DRIVER = `failed to find driver in archive. There must be a file of form ${DRIVER_PREFIX}*`

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const {bytesRead} = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

export async function isElf(path: string): Promise<boolean> {
  const head = await readHead(path, 4)
  return head.length === 4 && head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF'
}

/** Sniffs the first bytes: the file name and Content-Type of a download are not to be trusted. */
export async function detectKind(path: string): Promise<DownloadKind> {
  const head = await readHead(path, 512)
  if (head.length >= 4 && head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF') return 'elf'
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'PK\x03\x04') return 'zip'
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar'
  return 'unknown'
}

/** The first bytes of a file that is none of the above, for the error message (an HTML page shows itself). */
export async function describeHead(path: string): Promise<string> {
  const text = (await readHead(path, 40)).toString('latin1')
  const printable = text.replace(/[^\x20-\x7e]/g, '.').trim()
  return printable ? `starts with ${JSON.stringify(printable)}` : 'is empty'
}

/** A file found in an archive that may be the driver. */
export interface ArchiveCandidate {
  /** Path inside the archive, as written there. */
  entry: string
  /** Where it was extracted. */
  file: string
}

function isDriverEntry(entryPath: string): boolean {
  return basename(entryPath).startsWith(DRIVER_PREFIX) && basename(entryPath).length > DRIVER_PREFIX.length
}

/**
 * Extracts only entries named kontainer-engine-driver-* into `dir` and returns the ELF ones, in archive
 * order. Unsafe paths (absolute, `..`) are refused by both libraries; only regular files are written.
 */
export async function extractDriverCandidates(archive: string, kind: 'gzip' | 'tar' | 'zip', dir: string): Promise<ArchiveCandidate[]> {
  await mkdir(dir, {recursive: true, mode: 0o700})
  const extracted = kind === 'zip' ? await extractZip(archive, dir) : await extractTar(archive, dir)
  const drivers: ArchiveCandidate[] = []
  for (const candidate of extracted) if (await isElf(candidate.file)) drivers.push(candidate)
  return drivers
}

/** Links, devices and directories are never extracted: a driver is a regular file. */
const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

async function extractTar(archive: string, dir: string): Promise<ArchiveCandidate[]> {
  const {x} = await import('tar')
  const entries: string[] = []
  try {
    await x({
      file: archive,
      cwd: dir,
      strict: true,
      // the driver's own mode bits do not matter: ke sets 0755 when it installs
      noChmod: true,
      filter: (path, entry) => {
        const wanted = 'type' in entry && REGULAR_FILE_TYPES.has(entry.type) && isSafeEntry(path) && isDriverEntry(path)
        if (wanted) entries.push(path)
        return wanted
      },
    })
  } catch (error) {
    throw notAnArchive(`not a readable tar archive (${(error as Error).message})`)
  }
  return entries.map((entry) => ({entry, file: join(dir, entry)})).filter((candidate) => isRegularFile(candidate.file))
}

/** Relative and without `..`: the archive cannot write or point outside our directory. */
function isSafeEntry(path: string): boolean {
  return !isAbsolute(path) && !path.split(/[\\/]/).includes('..')
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile()
  } catch {
    return false
  }
}

async function extractZip(archive: string, dir: string): Promise<ArchiveCandidate[]> {
  const yauzl = await import('yauzl')
  let zip: import('yauzl').ZipFile
  try {
    zip = await yauzl.openPromise(archive)
  } catch (error) {
    throw notAnArchive(`not a readable zip archive (${(error as Error).message})`)
  }
  const found: ArchiveCandidate[] = []
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || !isDriverEntry(entry.fileName)) continue
      // flat names in our own directory: the archive's folders do not matter and its paths are not trusted
      const file = join(dir, `${found.length}-${basename(entry.fileName)}`)
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(file, {mode: 0o600}))
      found.push({entry: entry.fileName, file})
    }
  } catch (error) {
    throw notAnArchive(`zip archive is damaged (${(error as Error).message})`)
  } finally {
    zip.close()
  }
  return found
}

function notAnArchive(reason: string): KeError {
  return new KeError('DOWNLOAD_FAILED', `downloaded file is not a driver: ${reason}`, {hint: 'the URL must point at a driver binary or a tar/zip holding one'})
}

import {closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync} from 'node:fs'
import {dirname, join, basename} from 'node:path'

/** Directories ke makes are private to the user: they hold tokens and keys. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, {recursive: true, mode: 0o700})
}

export interface WriteOptions {
  /**
   * false for files that describe this boot's processes (running drivers, lock holders) or a cache:
   * a power loss ends those processes anyway, so the two fsyncs (milliseconds each on a busy disk,
   * several per command) buy nothing. A reader, or a ke killed with -9, still never sees a torn file.
   */
  durable?: boolean
}

/**
 * Writes a file so that a reader (or a crash, or kill -9) sees either the old content or the new,
 * never a torn mix: temp file in the same directory, fsync, rename. Mode 0600.
 */
export function writeFileAtomic(path: string, data: string, {durable = true}: WriteOptions = {}): void {
  const dir = dirname(path)
  ensurePrivateDir(dir)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
  const fd = openSync(temp, 'w', 0o600)
  try {
    writeSync(fd, data)
    if (durable) fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    removeFile(temp)
    throw error
  }
  closeSync(fd)
  renameSync(temp, path)
  if (durable) syncDir(dir)
}

/** Makes the rename itself durable. Not every platform lets a directory be fsynced; that is fine. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // best effort
  }
}

/**
 * Removes one file; one already gone is fine. rmSync would do the same, but its first call loads Node's
 * recursive remover (~0.7 ms of a command that removes no directory).
 */
export function removeFile(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/**
 * Removes `path` and all it holds, a link itself and never what it points to; one already gone is fine.
 * rmSync(recursive) does the same, but its first call loads Node's recursive remover (~0.6 ms of an rm,
 * whose cluster folder holds a few files). Whatever this plain walk meets that it does not expect (a
 * file that appears meanwhile, a permission, a path already gone) goes to rmSync, which handles and
 * reports it as before.
 */
export function removeTree(path: string): void {
  try {
    if (lstatSync(path).isDirectory()) removeFolder(path)
    else removeFile(path)
  } catch {
    rmSync(path, {recursive: true, force: true})
  }
}

/** A folder and all in it, each entry as readdir types it: a link is removed, not followed. */
function removeFolder(path: string): void {
  for (const entry of readdirSync(path, {withFileTypes: true})) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) removeFolder(child)
    else removeFile(child)
  }
  rmdirSync(path)
}

/** Removes `dir` and what it holds, except the file named `keep` (the folder stays while it does). */
export function removeAllBut(dir: string, keep: string): void {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return
  }
  for (const entry of entries) if (entry !== keep) removeTree(join(dir, entry))
  if (!entries.includes(keep)) removeTree(dir)
}

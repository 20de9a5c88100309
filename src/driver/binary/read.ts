// Reading the file itself without running it: stat, the exec bit, ranges of bytes, one marker scan.
import {constants as fsConstants, type Stats} from 'node:fs'
import {access, stat, type FileHandle} from 'node:fs/promises'

export async function statFile(path: string): Promise<{stats?: Stats}> {
  try {
    return {stats: await stat(path)}
  } catch {
    return {}
  }
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK)
    return true
  } catch {
    return false
  }
}

export async function exists(path: string): Promise<boolean> {
  return (await statFile(path)).stats !== undefined
}

/** Reads ranges of a file without loading it: drivers are 50+ MB and the tables we need are small. */
export class RandomAccessFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async of(handle: FileHandle): Promise<RandomAccessFile> {
    return new RandomAccessFile(handle, (await handle.stat()).size)
  }

  /** Up to `length` bytes at `offset`, fewer at the end of the file; a corrupt header cannot make it allocate much. */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset, MAX_TABLE_SIZE))
    if (!Number.isFinite(offset) || offset < 0 || wanted === 0) return Buffer.alloc(0)
    const buffer = Buffer.alloc(wanted)
    const {bytesRead} = await this.handle.read(buffer, 0, wanted, offset)
    return buffer.subarray(0, bytesRead)
  }
}

const MAX_TABLE_SIZE = 32 * 1024 * 1024

const SCAN_CHUNK = 4 * 1024 * 1024

/** Whether the file contains `needle`, read in large chunks with an overlap so a match across two chunks is found. */
export async function fileContains(handle: FileHandle, needle: Buffer): Promise<boolean> {
  const overlap = needle.length - 1
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK + overlap)
  let carried = 0
  let position = 0
  for (;;) {
    const {bytesRead} = await handle.read(buffer, carried, SCAN_CHUNK, position)
    if (bytesRead === 0) return false
    const filled = carried + bytesRead
    if (buffer.subarray(0, filled).includes(needle)) return true
    position += bytesRead
    carried = Math.min(overlap, filled)
    buffer.copyWithin(0, filled - carried, filled)
  }
}

/** A NUL-terminated string at `offset` (ELF string tables, Mach-O load commands); empty when out of range. */
export function cString(buffer: Buffer, offset: number): string {
  if (offset >= buffer.length) return ''
  const end = buffer.indexOf(0, offset)
  return buffer.toString('latin1', offset, end === -1 ? buffer.length : end)
}

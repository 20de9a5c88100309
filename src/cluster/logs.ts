// `ke logs NAME`: the cluster's driver log ($KE_HOME/clusters/<name>/driver.log), which every command
// that runs the cluster's driver appends to (already redacted when written). Following polls the
// file's size: it works the same on every platform and file system, and costs one stat per tick.
import {open, stat} from 'node:fs/promises'
import {StringDecoder} from 'node:string_decoder'
import {KeError} from '../errors.js'
import type {ClusterStore} from '../store/cluster-store.js'

const CHUNK = 64 * 1024
const POLL_MS = 100

export interface LogRead {
  path: string
  /** The last `lines` lines (all without a count), each ending in a newline except perhaps the last. */
  text: string
  /** Where following continues. */
  offset: number
}

/** The cluster's log path; CLUSTER_NOT_FOUND when ke knows no such cluster. */
export async function clusterLogPath(store: ClusterStore, name: string): Promise<string> {
  if (!(await store.exists(name))) {
    throw new KeError('CLUSTER_NOT_FOUND', `cluster ${name} not found`, {cluster: name, hint: 'see `ke ls` for the clusters ke knows'})
  }
  return store.logPath(name)
}

export function parseLineCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const count = Number(text.trim())
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(count)) {
    throw new KeError('BAD_FLAG', `--lines must be a whole number, 0 or more, got ${JSON.stringify(text)}`, {hint: 'e.g. -n 50'})
  }
  return count
}

/** Reads the whole log, or only its last `lines` lines (reading backwards, so a big log costs little). */
export async function readLog(path: string, lines?: number): Promise<LogRead> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, text: '', offset: 0}
    throw error
  }
  try {
    const {size} = await handle.stat()
    const start = lines === undefined ? 0 : await startOfLastLines(handle, size, lines)
    const buffer = Buffer.alloc(size - start)
    await handle.read(buffer, 0, buffer.length, start)
    return {path, text: buffer.toString('utf8'), offset: size}
  } finally {
    await handle.close()
  }
}

/** Byte offset where the last `count` lines begin; a final line without newline counts as a line. */
async function startOfLastLines(handle: import('node:fs/promises').FileHandle, size: number, count: number): Promise<number> {
  if (count === 0) return size
  let position = size
  let newlines = 0
  const buffer = Buffer.alloc(CHUNK)
  // a trailing newline ends the last line; it does not start another one
  let skipTrailing = true
  while (position > 0) {
    const length = Math.min(CHUNK, position)
    position -= length
    await handle.read(buffer, 0, length, position)
    for (let i = length - 1; i >= 0; i--) {
      if (buffer[i] !== 0x0a) {
        skipTrailing = false
        continue
      }
      if (skipTrailing) {
        skipTrailing = false
        continue
      }
      if (++newlines === count) return position + i + 1
    }
  }
  return 0
}

export interface FollowOptions {
  /** Byte offset to continue from (what readLog returned). */
  offset: number
  write(text: string): void
  /** Aborted by Ctrl-C: following ends normally. */
  signal: AbortSignal
  /** False once the cluster is removed (`ke rm` deletes its log): following ends. */
  clusterExists(): Promise<boolean>
}

export type FollowEnd = 'interrupted' | 'removed'

/** Prints what is appended to the log until interrupted or the cluster is removed. A truncated log is read from its start. */
export async function followLog(path: string, opts: FollowOptions): Promise<FollowEnd> {
  const decoder = new StringDecoder('utf8')
  let offset = opts.offset
  while (!opts.signal.aborted) {
    const size = await sizeOf(path)
    if (size === undefined && !(await opts.clusterExists())) return 'removed'
    if (size !== undefined && size < offset) offset = 0
    if (size !== undefined && size > offset) offset = await copyRange(path, offset, size, (text) => opts.write(decoder.write(text)))
    else await tick(opts.signal)
  }
  const rest = decoder.end()
  if (rest) opts.write(rest)
  return 'interrupted'
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size
  } catch {
    return undefined
  }
}

async function copyRange(path: string, from: number, to: number, write: (chunk: Buffer) => void): Promise<number> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(CHUNK)
    let position = from
    while (position < to) {
      const {bytesRead} = await handle.read(buffer, 0, Math.min(CHUNK, to - position), position)
      if (bytesRead === 0) break
      write(buffer.subarray(0, bytesRead))
      position += bytesRead
    }
    return position
  } finally {
    await handle.close()
  }
}

function tick(signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(done, POLL_MS)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolvePromise()
    }
    signal.addEventListener('abort', done, {once: true})
  })
}

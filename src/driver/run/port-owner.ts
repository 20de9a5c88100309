// Whether the socket listening on a port belongs to the driver ke started. ke picks a port by binding
// port 0 and closing it (PROTOCOL.md: racy): another process may take that port before the driver
// binds it, and a TCP connect alone would then take someone else's server for the driver. Linux tells
// through /proc; elsewhere (or when /proc cannot be read) the answer is undefined and the connect is
// trusted, as before.
// This runs before every command's first call. Each read of /proc/net/tcp walks the kernel's whole
// socket table (milliseconds where that table is large, even with few sockets open), and listening
// sockets come first in it: the tables are read a chunk at a time, and reading stops at the driver's
// own listener, which is where it almost always is, or at the first socket that does not listen. Each
// chunk is read on libuv's threadpool: the kernel's walk then runs beside ke's own start-up (a caller
// that starts this first and loads grpc-js meanwhile pays nothing for it).
import {closeSync, openSync, read, readdirSync, readlinkSync} from 'node:fs'
import {statFields} from '../../os/processes.js'

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6']
const CHUNK_BYTES = 64 * 1024
const LISTEN = '0A'
/**
 * Local addresses a connect to 127.0.0.1 reaches, as the tables print them (each 32-bit word in the
 * machine's byte order, little- then big-endian): 127.0.0.1, 0.0.0.0, ::, ::ffff:127.0.0.1. A socket on
 * :: with IPV6_V6ONLY set is taken as reaching it too; /proc does not tell.
 */
const REACHED_FROM_LOOPBACK = new Set([
  '0100007F',
  '7F000001',
  '00000000',
  '00000000000000000000000000000000',
  '0000000000000000FFFF00000100007F',
  '00000000000000000000FFFF7F000001',
])

function readChunk(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, null, (error, bytes) => (error ? reject(error) : resolve(bytes))))
}

/** The lines of a /proc table, read as they are needed; nothing for a table that cannot be read. */
async function* tableLines(table: string): AsyncGenerator<string> {
  let fd: number
  try {
    // opened at once (a lookup, no walk): the first read is then on the threadpool before this yields
    fd = openSync(table, 'r')
  } catch {
    return
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    let rest = ''
    for (let bytes = await readChunk(fd, buffer); bytes > 0; bytes = await readChunk(fd, buffer)) {
      const lines = (rest + buffer.toString('latin1', 0, bytes)).split('\n')
      rest = lines.pop()!
      yield* lines
    }
    if (rest) yield rest
  } finally {
    closeSync(fd)
  }
}

/** Inodes of the sockets in LISTEN state on `port` (with `loopbackOnly`, only those 127.0.0.1 reaches), IPv4 then IPv6, as the tables are read. */
async function* listeningInodes(port: number, loopbackOnly: boolean): AsyncGenerator<string> {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  for (const table of TABLES) {
    let titles = true
    for await (const line of tableLines(table)) {
      if (titles) {
        titles = false
        continue
      }
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/)
      // the kernel lists every listening socket before any other
      if (fields[3] !== LISTEN) break
      if (!fields[1]?.endsWith(portHex) || !fields[9]) continue
      if (!loopbackOnly || REACHED_FROM_LOOPBACK.has(fields[1].slice(0, -portHex.length))) yield fields[9]
    }
  }
}

/** The process group of `pid`, undefined when it is gone (or not ours to read). */
function groupOf(pid: number | string): number | undefined {
  const fields = statFields(pid)
  return fields && Number(fields[2])
}

/** The processes of process group `pgid` (the driver and whatever it started: ke starts it detached). */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && groupOf(entry) === pgid).map(Number)
}

/** Inodes of the sockets process `pid` holds (none when it is gone or not ours to read). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>()
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return inodes
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1))
    } catch {
      // closed while we looked
    }
  }
  return inodes
}

/**
 * True when a process of group `pgid` holds the socket listening on `port`, false when another process
 * does, undefined when this machine cannot tell (no /proc, or no listener found at all). With
 * `loopbackOnly`, a listener that a connect to 127.0.0.1 would not reach (one on ::1 only) is none.
 */
export async function listenerOwnedBy(pgid: number, port: number, {loopbackOnly = false} = {}): Promise<boolean | undefined> {
  // the tables first: their first chunk is read on the threadpool while the rest of this runs
  const listening = listeningInodes(port, loopbackOnly)
  const first = listening.next()
  // ke starts the driver as the leader of its group, and the driver itself binds as a rule: looked at
  // first, it spares reading every process's stat (hundreds on a busy machine, on every command)
  const leaderSockets = groupOf(pgid) === pgid ? socketInodes(pgid) : new Set<string>()
  const others: string[] = []
  try {
    for (let next = await first; !next.done; next = await listening.next()) {
      if (leaderSockets.has(next.value)) return true
      others.push(next.value)
    }
  } finally {
    // closes the table when the driver's listener came before its end
    await listening.return(undefined)
  }
  if (others.length === 0) return undefined
  return groupMembers(pgid).some((pid) => {
    if (pid === pgid) return false
    const held = socketInodes(pid)
    return others.some((inode) => held.has(inode))
  })
}

// Whether the socket listening on a port belongs to the driver ke started. ke picks a port by binding
// port 0 and closing it (PROTOCOL.md: racy): another process may take that port before the driver
// binds it, and a TCP connect alone would then take someone else's server for the driver. Linux tells
// through /proc; elsewhere (or when /proc cannot be read) the answer is undefined and the connect is
// trusted, as before.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {statFields} from '../../os/processes.js'

/** Inodes of the sockets in LISTEN state on `port` (IPv4 and IPv6), or undefined without /proc. */
function listeningInodes(port: number): Set<string> | undefined {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const inodes = new Set<string>()
  let readable = false
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
      readable = true
    } catch {
      continue
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (fields[3] === '0A' && fields[1]?.endsWith(portHex) && fields[9]) inodes.add(fields[9])
    }
  }
  return readable ? inodes : undefined
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

function holdsSocket(pid: number, inodes: Set<string>): boolean {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  return fds.some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      return target.startsWith('socket:[') && inodes.has(target.slice(8, -1))
    } catch {
      return false
    }
  })
}

/**
 * True when a process of group `pgid` holds the socket listening on `port`, false when another process
 * does, undefined when this machine cannot tell (no /proc, or no listener found at all).
 */
export function listenerOwnedBy(pgid: number, port: number): boolean | undefined {
  const inodes = listeningInodes(port)
  if (!inodes || inodes.size === 0) return undefined
  // ke starts the driver as the leader of its group, and the driver itself binds as a rule: looked at
  // first, it spares reading every process's stat (hundreds on a busy machine, on every command)
  if (groupOf(pgid) === pgid && holdsSocket(pgid, inodes)) return true
  return groupMembers(pgid).some((pid) => pid !== pgid && holdsSocket(pid, inodes))
}

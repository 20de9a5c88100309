// One lock per cluster, so parallel CI jobs never interleave on the same record. proper-lockfile makes
// the lock (an atomic mkdir, refreshed while held); an owner file beside it says who holds it, and a
// lock whose owner process is gone is taken over at once instead of after the stale period.
import {chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, rmdirSync, statSync, utimesSync} from 'node:fs'
import {join} from 'node:path'
import {KeError} from '../../errors.js'
import {ensurePrivateDir, removeFile, removeTree, writeFileAtomic} from '../../fs/atomic.js'
import {isClusterName} from '../names.js'
import {isSameProcess, ownStartTime} from '../../os/processes.js'

interface LockOwner {
  pid: number
  startTime?: string
  command: string
  since: string
}

export type Release = () => Promise<void>

/**
 * The calls proper-lockfile's sync form makes, and no more: it copies the fs it is given, and a copy of
 * all of node:fs runs its lazy getters (fs streams among them), ~1.5 ms of every create and rm.
 */
const LOCK_FS = {mkdirSync, realpathSync, rmdirSync, statSync, utimesSync}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner
  } catch {
    return undefined
  }
}

function busy(name: string, owner: LockOwner | undefined): KeError {
  const who = owner ? ` (pid ${owner.pid}, ${owner.command})` : ''
  return new KeError('CLUSTER_BUSY', `cluster ${name} is busy${who}`, {cluster: name, hint: 'wait for that command to finish, or stop it'})
}

/**
 * Throws CLUSTER_BUSY when a live ke holds the lock on `name`, without taking it: a cheap early check
 * for commands that do slow work before they can lock (create starts its driver to learn its flags).
 */
export function assertNotBusy(home: string, name: string): void {
  const owner = liveHolder(home, name)
  if (owner) throw busy(name, owner)
}

/** The live ke holding the lock on `name`, if any (a dead holder's lock holds nothing). */
function liveHolder(home: string, name: string): LockOwner | undefined {
  // callers may pass words from argv that are not names (flag values): those hold no lock
  if (!isClusterName(name)) return undefined
  const target = join(home, 'locks', name)
  if (!existsSync(`${target}.lock`)) return undefined
  const owner = readOwner(`${target}.owner.json`)
  return owner && isSameProcess(owner.pid, owner.startTime) ? owner : undefined
}

/** True while a live ke holds the lock on `name`: its record's in-flight status is real. */
export function isHeldByLiveKe(home: string, name: string): boolean {
  return liveHolder(home, name) !== undefined
}

/** Takes the lock on `name` for `command`, or throws CLUSTER_BUSY naming the holder. */
export async function lockCluster(home: string, name: string, command: string): Promise<Release> {
  const dir = join(home, 'locks')
  // a command that fails right after locking (ke rm of a missing cluster) leaves no locks directory
  const madeDir = !existsSync(dir)
  ensurePrivateDir(dir)
  const target = join(dir, name)
  const ownerFile = `${target}.owner.json`
  const options = {realpath: false, stale: 15_000, update: 5_000, retries: 0, onCompromised: () => {}, fs: LOCK_FS}
  // loaded here, not with the store: `ke ls` reads locks but never takes one (proper-lockfile costs its load; run
  // unbundled, its graceful-fs also patches fs)
  const {default: lockfile} = await import('proper-lockfile')
  // its sync form: taking the lock is a mkdir, a utimes and a stat, and each of them sent to libuv's
  // threadpool and back cost a command ~1 ms of waiting (its refresh timer uses the same calls later)
  let release: () => void
  try {
    release = lockfile.lockSync(target, options)
  } catch (error) {
    // another ke removed the empty locks directory between our mkdir and our lock: once more
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return lockCluster(home, name, command)
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    const owner = readOwner(ownerFile)
    // no owner file yet: the holder is between taking the lock and writing it
    if (!owner || isSameProcess(owner.pid, owner.startTime)) throw busy(name, owner)
    // the holder died without releasing (kill -9): take the lock over
    removeTree(`${target}.lock`)
    try {
      release = lockfile.lockSync(target, options)
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw new KeError('CLUSTER_BUSY', `cluster ${name} is busy`, {cluster: name, hint: 'another ke took it just now; retry'})
      throw again
    }
  }
  // proper-lockfile makes its directory with the umask's mode (0755): keep KE_HOME private to the user
  chmodSync(`${target}.lock`, 0o700)
  writeFileAtomic(ownerFile, JSON.stringify({pid: process.pid, startTime: ownStartTime(), command, since: new Date().toISOString()} satisfies LockOwner), {durable: false})
  return async () => {
    removeFile(ownerFile)
    try {
      release()
    } catch {
      // already released, or taken over as stale meanwhile: nothing of ours is left to remove
    }
    if (madeDir) removeIfEmpty(dir)
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // another cluster's lock is in it
  }
}

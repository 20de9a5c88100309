// Every driver ke starts is recorded under $KE_HOME/run with its pid and start time, and with the pid
// and start time of the ke that owns it. A later ke stops drivers whose owner died (kill -9, crash):
// existing drivers never exit on their own.
import {existsSync, readdirSync, readFileSync, rmdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {removeFile, writeFileAtomic} from '../../fs/atomic.js'
import {isSameProcess, ownStartTime, processStartTime, signalGroup} from '../../os/processes.js'

export interface DriverRecord {
  pid: number
  startTime?: string
  owner: {pid: number; startTime?: string}
  driver: string
  cluster?: string
  /** The port it listens on, 127.0.0.1 (never its secret). */
  port?: number
  startedAt: string
  /** The highest directory this record's write created (the run dir, or KE_HOME itself). */
  made?: string
}

function recordPath(runDir: string, pid: number): string {
  return join(runDir, `driver-${pid}.json`)
}

/** The highest directory that writing into `runDir` is about to create, if any. */
function firstMissing(runDir: string): string | undefined {
  let made: string | undefined
  for (let dir = runDir; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) made = dir
  return made
}

/** A driver ke has just started, as its record names it. */
export interface StartedDriver {
  pid: number
  driver: string
  cluster?: string
  port?: number
}

/** What an earlier record of the same driver (bin/run.js's early start) already knew. */
export interface EarlierRecord {
  startTime?: string
  made?: string
}

/**
 * Records a driver ke started; what it returns is what a later record of the same driver (once ke
 * adopts it with its cluster) passes as `earlier`: that record then replaces this one, as the owner of
 * the same directories.
 */
export function recordDriver(runDir: string, started: StartedDriver, earlier?: EarlierRecord): EarlierRecord {
  const {pid} = started
  const record: DriverRecord = {
    pid,
    startTime: earlier ? earlier.startTime : processStartTime(pid),
    owner: {pid: process.pid, startTime: ownStartTime()},
    driver: started.driver,
    cluster: started.cluster,
    port: started.port,
    startedAt: new Date().toISOString(),
    made: earlier ? earlier.made : firstMissing(runDir),
  }
  // another ke may remove the run directory between our mkdir and our write (see removeRecord): retry
  for (let attempt = 1; ; attempt++) {
    try {
      writeFileAtomic(recordPath(runDir, pid), JSON.stringify(record), {durable: false})
      return {startTime: record.startTime, made: record.made}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error
    }
  }
}

/** recordDriver, or, when the record cannot be written, stops the driver and throws: unrecorded, no later ke would stop it. */
export function recordDriverOrStop(runDir: string, started: StartedDriver, earlier?: EarlierRecord): EarlierRecord {
  try {
    return recordDriver(runDir, started, earlier)
  } catch (error) {
    signalGroup(started.pid, 'SIGKILL')
    throw error
  }
}

function readRecord(file: string): DriverRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DriverRecord
  } catch {
    return undefined
  }
}

/**
 * Removes a record, and the directories its write made once they are empty again: a command refused
 * after starting its driver (a bad value only the driver's options reveal) leaves no new file or
 * directory in KE_HOME.
 */
function removeRecord(runDir: string, file: string, record: DriverRecord | undefined): void {
  removeFile(file)
  const made = record?.made
  if (!made) return
  try {
    // rmdir refuses a directory that is not empty: another ke's record keeps it
    for (let dir = runDir; dir === made || dir.startsWith(`${made}/`); dir = dirname(dir)) rmdirSync(dir)
  } catch {
    // in use by another ke: leave it be
  }
}

export function forgetDriver(runDir: string, pid: number): void {
  const file = recordPath(runDir, pid)
  removeRecord(runDir, file, readRecord(file))
}

/** Stops drivers left running by a ke that no longer exists. Returns what it stopped. */
export function reapOrphanDrivers(runDir: string): DriverRecord[] {
  let entries: string[]
  try {
    entries = readdirSync(runDir).filter((entry) => entry.startsWith('driver-') && entry.endsWith('.json'))
  } catch {
    return []
  }
  const reaped: DriverRecord[] = []
  for (const entry of entries) {
    const file = join(runDir, entry)
    const record = readRecord(file)
    if (!record) {
      removeFile(file)
      continue
    }
    if (isSameProcess(record.owner.pid, record.owner.startTime)) continue
    if (isSameProcess(record.pid, record.startTime)) {
      signalGroup(record.pid, 'SIGKILL')
      reaped.push(record)
    }
    removeRecord(runDir, file, record)
  }
  return reaped
}

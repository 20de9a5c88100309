// Every driver ke starts is recorded under $KE_HOME/run with its pid and start time, and with the pid
// and start time of the ke that owns it. A later ke stops drivers whose owner died (kill -9, crash):
// existing drivers never exit on their own.
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../store/atomic.js'
import {isSameProcess, processStartTime, signalGroup} from './processes.js'

export interface DriverRecord {
  pid: number
  startTime?: string
  owner: {pid: number; startTime?: string}
  driver: string
  cluster?: string
  startedAt: string
}

function recordPath(runDir: string, pid: number): string {
  return join(runDir, `driver-${pid}.json`)
}

export function recordDriver(runDir: string, pid: number, driver: string, cluster?: string): void {
  const record: DriverRecord = {
    pid,
    startTime: processStartTime(pid),
    owner: {pid: process.pid, startTime: processStartTime(process.pid)},
    driver,
    cluster,
    startedAt: new Date().toISOString(),
  }
  writeFileAtomic(recordPath(runDir, pid), JSON.stringify(record))
}

export function forgetDriver(runDir: string, pid: number): void {
  rmSync(recordPath(runDir, pid), {force: true})
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
    let record: DriverRecord
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as DriverRecord
    } catch {
      rmSync(file, {force: true})
      continue
    }
    if (isSameProcess(record.owner.pid, record.owner.startTime)) continue
    if (isSameProcess(record.pid, record.startTime)) {
      signalGroup(record.pid, 'SIGKILL')
      reaped.push(record)
    }
    rmSync(file, {force: true})
  }
  return reaped
}

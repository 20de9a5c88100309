// Facts about OS processes (alive, same process as recorded, signal a group): for stopping drivers, finding
// drivers a dead ke left behind, and telling a dead lock holder from a live one. Imports nothing of ke.
import {readFileSync} from 'node:fs'

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The process start time in clock ticks since boot (Linux `/proc/PID/stat` field 22), so a recorded
 * pid is not confused with a new process that reused it. Undefined where /proc is absent.
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19]
}

let own: {startTime?: string} | undefined

/** This process's start time (processStartTime), read once: every record ke writes names its owner. */
export function ownStartTime(): string | undefined {
  own ??= {startTime: processStartTime(process.pid)}
  return own.startTime
}

/** The fields of `/proc/PID/stat` after the command name (state, ppid, pgrp, ...); undefined without it. */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** True when `pid` is alive and is the same process that was recorded (same start time). */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  if (!isAlive(pid)) return false
  if (startTime === undefined) return true
  // ke's own records (its driver's, its lock's) name ke itself: its start time is read once
  const now = pid === process.pid ? ownStartTime() : processStartTime(pid)
  return now === undefined || now === startTime
}

/** Signals the whole process group (drivers are started as group leaders), else just the process. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

// Helpers for the issue-6 safety tests: watching driver processes through /proc and ke's run records.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {waitFor, type KeResult} from '../support/ke.js'

export interface DriverRecord {
  pid: number
  owner: {pid: number}
  driver: string
}

/**
 * True while the process runs. A zombie counts as gone: a driver whose ke was killed is re-parented to
 * PID 1, which in a container may never reap it, so `kill -0` alone would call it alive.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** The drivers ke says it is running: $KE_HOME/run/driver-<pid>.json. */
export function driverRecords(home: string): DriverRecord[] {
  const dir = join(home, 'run')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((entry) => /^driver-\d+\.json$/.test(entry))
    .flatMap((entry) => {
      try {
        return [JSON.parse(readFileSync(join(dir, entry), 'utf8')) as DriverRecord]
      } catch {
        return []
      }
    })
}

/** The environment of a running process, as the same user can read it. */
export function environOf(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
}

/** Waits until ke has recorded a running driver, and returns its pid. */
export async function runningDriverPid(home: string, what = 'a recorded running driver'): Promise<number> {
  const record = await waitFor(() => driverRecords(home).find((r) => isRunning(r.pid)), what)
  return record.pid
}

/**
 * Waits until the record of `name` on disk has `status` (the lifecycle saves it before each step).
 * `running` is the ke doing it: if it ends first, the wait fails at once with its output.
 */
export async function waitForStatus(home: string, name: string, status: string, running?: Promise<KeResult>): Promise<void> {
  const file = join(home, 'clusters', name, 'cluster.json')
  let ended: KeResult | undefined
  void running?.then((result) => (ended = result))
  await waitFor(() => {
    if (ended) throw new Error(`ke ended (exit ${ended.code}) before ${name} reached ${status}:\n${ended.stderr}`)
    try {
      return JSON.parse(readFileSync(file, 'utf8')).status === status
    } catch {
      return false
    }
  }, `cluster ${name} to reach status ${status}`, 60_000)
}

/** stderr without the progress lines ke prints while it works (HH:MM:SS Step). */
export function errorLines(result: Pick<KeResult, 'stderr'>): string[] {
  return result.stderr.split('\n').filter((line) => line !== '' && !/^\d\d:\d\d:\d\d /.test(line))
}

/** What a failed command shows a user first: the one line that must name the driver and the cause. */
export function firstErrorLine(result: Pick<KeResult, 'stderr'>): string {
  return errorLines(result)[0] ?? ''
}

/** Every path under `root` (itself included) whose mode lets group or others in, with that mode. */
export function notPrivate(root: string): string[] {
  const paths = [root, ...readdirSync(root, {recursive: true, encoding: 'utf8'}).map((entry) => join(root, entry))]
  return paths.flatMap((path) => {
    try {
      const mode = statSync(path).mode & 0o777
      return (mode & 0o077) === 0 ? [] : [`${path} ${mode.toString(8)}`]
    } catch {
      return [] // gone since the listing: a temporary file renamed into place
    }
  })
}

// For the `ke controller` e2e tests about running it (issue 16): replicas with leader election, each
// with its own KE_HOME (as pods have) and one shared sample cloud (KE_SAMPLE_CLOUD), their /healthz,
// /readyz and /metrics read over HTTP as the kubelet and Prometheus would.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {makeHome, startKe, waitFor} from '../support/ke.js'
import type {ControllerEnv} from './controller/support.js'

export interface Replica {
  pid: number
  home: string
  /** Log lines so far (stderr, one JSON object each). */
  lines(): string[]
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  /** SIGTERM, then the exit. */
  stop(): Promise<{code: number | null; signal: NodeJS.Signals | null}>
  kill9(): Promise<unknown>
  /** The port of its /healthz /readyz /metrics, once it said it listens. */
  port(): Promise<number>
  get(path: string): Promise<{status: number; text: string}>
  /** One series of its /metrics (e.g. `ke_controller_leader`); undefined when absent or unreachable. */
  metric(series: string): Promise<number | undefined>
  /** Peak resident memory (VmHWM) in bytes, from /proc. */
  peakRss(): number | undefined
}

/** A folder every replica's sample driver uses as its cloud. */
export function sharedCloud(): {dir: string; dispose(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'ke-sample-cloud-'))
  return {dir, dispose: () => rmSync(dir, {recursive: true, force: true, maxRetries: 10})}
}

/** The clusters in a sample cloud. */
export function cloudClusters(cloud: string): string[] {
  const dir = join(cloud, 'clusters')
  return existsSync(dir) ? readdirSync(dir) : []
}

export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

export function peakRssOf(pid: number): number | undefined {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kib === undefined ? undefined : Number(kib) * 1024
  } catch {
    return undefined
  }
}

/**
 * `ke controller` on the env's namespace with leader election (its Lease there), probes on a free port
 * of 127.0.0.1 and JSON logs, in a KE_HOME of its own.
 */
export function startReplica(env: ControllerEnv, cloud: string, args: string[] = []): Replica {
  const {home, dispose} = makeHome('ke-replica-')
  const child = startKe(['controller', '--store', env.store, '--probe-address', '127.0.0.1:0', '--log-format', 'json', ...args], {
    ...env.options,
    home,
    env: {...env.options.env, KE_SAMPLE_CLOUD: cloud},
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdout!.resume()
  child.stdin!.end()
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('close', (code, signal) => {
      // a driver stopped a moment ago may still be writing its files
      setTimeout(dispose, 500)
      resolve({code, signal})
    }),
  )
  const lines = () => stderr.split('\n').filter(Boolean)
  const port = () =>
    waitFor(
      () => {
        for (const line of lines()) {
          try {
            const entry = JSON.parse(line) as {fields?: {port?: number}}
            if (typeof entry.fields?.port === 'number') return entry.fields.port
          } catch {
            // not a log line (an oclif warning, say)
          }
        }
        if (child.exitCode !== null) throw new Error(`the controller exited (${child.exitCode}) before it listened:\n${stderr}`)
        return undefined
      },
      'the controller to say its probe port',
      30_000,
    )
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${await port()}${path}`)
    return {status: res.status, text: await res.text()}
  }
  const running = () => child.exitCode === null && child.signalCode === null
  return {
    pid: child.pid!,
    home,
    lines,
    exited,
    async stop() {
      if (running()) child.kill('SIGTERM')
      return exited
    },
    async kill9() {
      if (running()) child.kill('SIGKILL')
      return exited
    },
    port,
    get,
    async metric(series) {
      if (!running()) return undefined
      try {
        const {status, text} = await get('/metrics')
        return status === 200 ? sample(text, series) : undefined
      } catch {
        return undefined
      }
    },
    peakRss: () => peakRssOf(child.pid!),
  }
}

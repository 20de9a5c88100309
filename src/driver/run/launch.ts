// Starts a driver binary as `DRIVER <port>`, waits until it accepts TCP on 127.0.0.1 (nothing in the
// protocol signals readiness; a driver started early may already be seen listening in /proc), and
// stops it again. See PROTOCOL.md "Transport and process contract".
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {driverOwnLines, KeError, withDriverLogTail} from '../../errors.js'
import {DriverLog} from './driver-log.js'
import {listenerOwnedBy} from './port-owner.js'
import {canConnect, pickFreePort} from './ports.js'
import {adoptEarlyDriver, type AdoptedDriver} from './early-start.js'
import type {DriverCommand} from '../install/locate.js'
import {forgetDriver, reapOrphanDrivers, recordDriverOrStop} from './orphans.js'
import {throughOnePollPhase} from '../../os/poll-phase.js'
import {signalGroup} from '../../os/processes.js'
import {exitCodeForSignal, isStopSignal, type StopSignal} from './supervisor.js'
import type {ProcessState} from '../rpc/grpc-errors.js'

const STOP_GRACE_MS = 3000
/** After a driver exits, how long its last output may take to be read (outputRead). */
const OUTPUT_DRAIN_MS = 1000
const PORT_ATTEMPTS = 3

export interface LaunchRequest {
  command: DriverCommand
  /** The driver's whole environment, built in driver/env.ts. */
  env: NodeJS.ProcessEnv
  readyTimeoutMs: number
  log: DriverLog
  /** $KE_HOME/run: where running drivers are recorded for orphan reaping. */
  runDir: string
  cluster?: string
  signal?: AbortSignal
  /** The driver secret in `env` (driver/secret.ts), sent back on every call. */
  secret?: string
  /** Called right after a process is started on `address` (once per port tried; it may listen already). Must not throw. */
  onStarted?: (address: string) => void
}

/** A driver ke can call: one it started, or one the user runs and ke attached to. */
export interface RunningDriver {
  readonly display: string
  readonly address: string
  readonly pid?: number
  readonly attached: boolean
  readonly log: DriverLog
  /** Sent as gRPC metadata on every call: the secret ke gave the driver, if any. */
  readonly secret?: string
  /** The process's state for error messages; waits briefly for an exit that is under way. */
  describe(waitMs?: number): Promise<ProcessState>
  /** Stops the process: SIGTERM to its group, SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>
}

/**
 * Resolves once `child`'s pipes are read to their end ('close', which follows 'exit'), or after `ms`:
 * pipes it handed on to a process still running (a daemon it started) close late or never, and are
 * then let go of, so that they keep neither the log waiting nor ke running.
 */
function outputRead(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.stdout?.destroy()
      child.stderr?.destroy()
      resolve()
    }, ms).unref()
    child.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`
}

class ChildDriver implements RunningDriver {
  readonly attached = false
  private exitInfo: string | undefined
  private readonly exited: Promise<void>
  private stopping: Promise<void> | undefined
  spawnError: NodeJS.ErrnoException | undefined

  constructor(
    readonly display: string,
    readonly child: ChildProcess,
    readonly port: number,
    readonly log: DriverLog,
    private readonly runDir: string,
    readonly secret?: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = describeExit(code, signal)
        // its last lines may still be in the pipes (a driver that prints an error and exits at once):
        // the log has them before it notes the exit, and before anyone reads its tail
        void outputRead(child, OUTPUT_DRAIN_MS).then(() => {
          log.note(`driver exited (${this.exitInfo})`)
          resolve()
        })
      })
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.spawnError = error
        this.exitInfo ??= `could not start: ${error.code ?? error.message}`
        resolve()
      })
    })
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get exitDescription(): string | undefined {
    return this.exitInfo
  }

  waitForExit(ms: number): Promise<boolean> {
    return Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ])
  }

  async describe(waitMs = 0): Promise<ProcessState> {
    // an exit under way, or one whose last output is still being read
    if (waitMs > 0) await this.waitForExit(waitMs)
    // else what it printed just before it answered (its reason for a failure) may be in its pipe
    // still: the answer came on the gRPC socket in the same poll, and its callbacks ran first
    else await throughOnePollPhase()
    return {exit: this.exitInfo, logTail: this.log.tail(), logFile: this.log.file}
  }

  stop(): Promise<void> {
    this.stopping ??= this.terminate()
    return this.stopping
  }

  private async terminate(): Promise<void> {
    const pid = this.child.pid
    if (pid !== undefined && this.exitInfo === undefined) {
      signalGroup(pid, 'SIGTERM')
      if (!(await this.waitForExit(STOP_GRACE_MS))) {
        signalGroup(pid, 'SIGKILL')
        await this.waitForExit(STOP_GRACE_MS)
      }
    } else {
      // it exited by itself: its last lines are read (outputRead bounds the wait) before the log closes
      await this.exited
    }
    if (pid !== undefined) forgetDriver(this.runDir, pid)
    this.log.close()
  }
}

/** `taken`: what answers on the port is another process's server, not the driver's. */
type Readiness = 'ready' | 'exited' | 'timeout' | 'aborted' | 'taken'

/** Most drivers bind within their first second: polled closely then, each probe a refused connect (~0.2 ms). */
const CLOSE_POLL_MS = 1000
const CLOSE_POLL_DELAY_MS = 4
const SLOW_POLL_MAX_DELAY_MS = 50

/** The wait before the next probe, `elapsed` ms after the first: a ready driver is seen within a few ms. */
function nextProbeDelay(delay: number, elapsed: number): number {
  return elapsed < CLOSE_POLL_MS ? CLOSE_POLL_DELAY_MS : Math.min(Math.ceil(delay * 1.5), SLOW_POLL_MAX_DELAY_MS)
}

/** Whether the driver's own process group holds the listener a connect to 127.0.0.1 reaches (undefined: cannot tell). */
async function holdsItsListener(driver: ChildDriver): Promise<boolean | undefined> {
  return driver.pid === undefined ? undefined : listenerOwnedBy(driver.pid, driver.port, {loopbackOnly: true})
}

async function waitUntilListening(driver: ChildDriver, deadline: number, opts: {adopted: boolean; signal?: AbortSignal}): Promise<Readiness> {
  const {signal} = opts
  // a driver started early is often listening by now: its own listener in /proc says so without a
  // connect and its round trip through the event loop (~3 ms of every command)
  if (opts.adopted && driver.exitDescription === undefined && (await holdsItsListener(driver)) === true) return 'ready'
  const start = Date.now()
  let delay = 2
  for (;;) {
    if (signal?.aborted) return 'aborted'
    if (driver.exitDescription !== undefined) return 'exited'
    if (await canConnect(driver.port)) {
      if (driver.exitDescription !== undefined) return 'exited'
      return (await holdsItsListener(driver)) === false ? 'taken' : 'ready'
    }
    if (Date.now() >= deadline) return 'timeout'
    if (await driver.waitForExit(delay)) return 'exited'
    delay = nextProbeDelay(delay, Date.now() - start)
  }
}

function looksLikePortTaken(driver: ChildDriver): boolean {
  return driver.log.tail().some((line) => /address already in use|EADDRINUSE/i.test(line))
}

function startChild(req: LaunchRequest, port: number, early?: AdoptedDriver): ChildDriver {
  const {command} = req
  // own process group: Ctrl-C reaches ke, which stops the driver; and the whole group can be killed
  const child = early?.child ?? spawn(command.command, [...command.args, String(port)], {
    env: req.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => req.log.write(chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => req.log.write(chunk))
  const driver = new ChildDriver(command.display, child, port, req.log, req.runDir, early?.secret ?? req.secret)
  if (child.pid !== undefined) {
    req.log.note(`started ${command.display} (pid ${child.pid}) on 127.0.0.1:${port}`)
    // what an early-started driver printed before ke took it over
    for (const chunk of early?.output ?? []) req.log.write(chunk)
    recordDriverOrStop(req.runDir, {pid: child.pid, driver: command.display, cluster: req.cluster, port}, early?.record)
  }
  return driver
}

/**
 * Starts the driver and resolves once it accepts connections. Throws KeError with a diagnosis when it
 * cannot start, exits first, or never listens within `readyTimeoutMs`. The process is stopped on every
 * failure path.
 */
export async function launchDriver(req: LaunchRequest): Promise<RunningDriver> {
  reapOrphanDrivers(req.runDir)
  const deadline = Date.now() + req.readyTimeoutMs
  for (let attempt = 1; ; attempt++) {
    // bin/run.js may have started this very driver already (early-start.ts)
    const early = attempt === 1 ? adoptEarlyDriver(req.command, req.env) : undefined
    const port = early?.port ?? (await pickFreePort())
    const driver = startChild(req, port, early)
    // the check first: an early driver's /proc tables are read on the threadpool (a new one's first
    // connect goes out) while onStarted loads grpc-js here
    const readying = waitUntilListening(driver, deadline, {adopted: early !== undefined, signal: req.signal})
    req.onStarted?.(driver.address)
    const readiness = await readying
    if (readiness === 'ready') return driver
    await driver.stop()
    if (readiness === 'aborted') {
      const exit = isStopSignal(req.signal?.reason) ? exitCodeForSignal(req.signal.reason) : undefined
      throw new KeError('CANCELLED', `interrupted while driver ${req.command.display} was starting`, {cluster: req.cluster, exit})
    }
    if (readiness === 'timeout') {
      throw new KeError(
        'DRIVER_NOT_READY',
        withTail(`driver ${req.command.display} did not listen on 127.0.0.1:${port} within ${Math.round(req.readyTimeoutMs / 1000)} s`, driver),
        {driver: req.command.display, hint: `raise --driver-timeout if it is just slow; \`ke driver check ${req.command.file}\` tells whether it can run here${logsHint(req.cluster)}`},
      )
    }
    if ((readiness === 'taken' || looksLikePortTaken(driver)) && attempt < PORT_ATTEMPTS) {
      req.log.note(`port ${port} was taken before the driver bound it; retrying on a new port`)
      continue
    }
    if (readiness === 'taken') {
      throw new KeError('DRIVER_NOT_READY', `another program answered on each port picked for driver ${req.command.display} before the driver could listen (last 127.0.0.1:${port})`, {
        driver: req.command.display,
        hint: 'run it again; a driver that hands its port to a process outside its own process group (a daemon) cannot be told from another program',
      })
    }
    throw await diagnoseStartFailure(req.command, driver, req.cluster)
  }
}

function withTail(message: string, driver: ChildDriver): string {
  return withDriverLogTail(message, driver.log.tail())
}

/** Where the whole log is, when it belongs to a cluster. */
function logsHint(cluster: string | undefined): string {
  return cluster ? `; driver log: \`ke logs ${cluster}\`` : ''
}

async function diagnoseStartFailure(command: DriverCommand, driver: ChildDriver, cluster: string | undefined): Promise<KeError> {
  const {checkBinary, describeBinaryProblem} = await import('../binary/index.js')
  // a script is no program of its own: only its absence is worth a binary check's words
  const skipCheck = command.builtin || (command.script && existsSync(command.file))
  const report = skipCheck ? undefined : await checkBinary(command.file)
  const problem = report && describeBinaryProblem(report)
  if (problem) {
    const code = report.exists ? 'DRIVER_CANNOT_START' : 'DRIVER_NOT_FOUND'
    return new KeError(code, problem.message, {driver: command.display, hint: problem.hint})
  }
  const exit = driver.exitDescription ?? 'no exit status'
  return new KeError(
    'DRIVER_CANNOT_START',
    withTail(`driver ${command.display} exited (${exit}) before listening on ${driver.address}`, driver),
    {driver: command.display, hint: `${driverOwnLines(driver.log.tail()).length ? "see the driver's log lines above" : 'it printed nothing'}; \`ke driver check ${command.file}\` tells whether it can run here${logsHint(cluster)}`},
  )
}

/** A driver the user already runs (e.g. under a debugger): ke calls it but never starts or stops it. */
export function attachedDriver(address: string, log: DriverLog, secret?: string): RunningDriver {
  return {
    display: address,
    address,
    attached: true,
    log,
    secret,
    describe: async () => ({logTail: [], attached: true}),
    stop: async () => log.close(),
  }
}

// Opening a driver for a command: locate (or attach), start, connect, and register with the supervisor
// so it is stopped whatever happens.
import {KeError} from '../../errors.js'
import type {Redactor} from '../../redact.js'
import type * as Grpc from '@grpc/grpc-js'
import {driverClientFor, GrpcClusterDriver} from '../rpc/client.js'
import {DriverLog} from './driver-log.js'
import {buildDriverEnv, type DriverEnvOptions} from './env.js'
import {attachedDriver, launchDriver, type RunningDriver} from './launch.js'
import {canConnect} from './ports.js'
import {locateDriver, type DriverCommand} from '../install/locate.js'
import {loadDriverClient} from '../rpc/proto-client.js'
import {DRIVER_SECRET_ENV, newDriverSecret} from '../../protocol/secret.js'
import type {Supervisor} from './supervisor.js'

export interface SessionContext {
  home: string
  cwd: string
  env: NodeJS.ProcessEnv
  redactor: Redactor
  supervisor: Supervisor
  /** --debug: driver output also goes to stderr, prefixed with the driver's name. */
  debugStream?: (line: string) => void
}

export interface OpenDriverRequest {
  /** --driver value or the stored reference. */
  ref?: string
  /** --attach 127.0.0.1:PORT instead of starting a process. */
  attach?: string
  cluster?: string
  /** The ke command, for the log header (`create`, `etcd save`). */
  command?: string
  /** File for the driver's output; create attaches it later, once the cluster exists. */
  logFile?: string
  readyTimeoutMs?: number
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
  driverEnv?: DriverEnvOptions
}

/** The line that opens each run in a cluster's driver log (never argv: it may hold secrets). */
export function logHeader(command: string, cluster: string | undefined, driver: string): string {
  return `--- ${new Date().toISOString()} ke ${command}${cluster ? ` ${cluster}` : ''}: driver ${driver} ---`
}

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]):(\d{1,5})$/

export interface AttachAddress {
  /** Normalised `HOST:PORT`, as stored in the record. */
  address: string
  host: string
  port: number
}

export function parseAttachAddress(address: string): AttachAddress {
  const match = LOOPBACK_ADDRESS.exec(address.trim())
  const port = match ? Number(match[2]) : 0
  if (!match || port < 1 || port > 65535) {
    throw new KeError('BAD_FLAG', `--attach ${JSON.stringify(address)} is not a loopback address with a port`, {
      hint: 'use --attach 127.0.0.1:PORT for a driver you started yourself (drivers listen on loopback only)',
    })
  }
  const host = match[1] === 'localhost' ? '127.0.0.1' : match[1]
  return {address: `${host}:${port}`, host: host.replace(/^\[|\]$/g, ''), port}
}

export function resolveDriverCommand(ctx: SessionContext, ref: string): DriverCommand {
  return locateDriver(ref, {home: ctx.home, cwd: ctx.cwd, path: ctx.env.PATH})
}

/** `promise`, awaited later: a rejection before then is no unhandled one (bin/run.js would die of it). */
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

/** Closes the clients made for ports given up (all of them when the driver did not start): `ke controller` opens drivers for as long as it runs. */
function closeClients(clients: Map<string, Promise<Grpc.Client>>, keep: string | undefined): void {
  for (const [address, client] of clients) {
    if (address !== keep) void client.then((unused) => unused.close(), () => undefined)
  }
}

export async function openDriver(ctx: SessionContext, req: OpenDriverRequest): Promise<GrpcClusterDriver> {
  const attach = req.attach === undefined ? undefined : parseAttachAddress(req.attach)
  const display = attach?.address ?? req.ref ?? 'driver'
  const log = new DriverLog(display, ctx.redactor, ctx.debugStream)
  if (req.logFile) log.attachFile(req.logFile, logHeader(req.command ?? 'ke', req.cluster, display))
  const clientOptions = {
    cluster: req.cluster,
    longCallTimeoutMs: req.longCallTimeoutMs,
    quickCallTimeoutMs: req.quickCallTimeoutMs,
    signal: ctx.supervisor.signal,
    interruptedBy: () => ctx.supervisor.interruptedBy,
  }
  if (attach) {
    const reachable = canConnect(attach.port, attach.host)
    // grpc-js loads while the connect goes out
    const protoReady = handledLater(loadDriverClient())
    if (!(await reachable)) {
      throw new KeError('DRIVER_NOT_READY', `nothing is listening on ${attach.address}`, {hint: `start your driver there first (\`DRIVER ${attach.port}\`), or drop --attach to let ke start it`})
    }
    await protoReady
    // a driver the user started with KE_DRIVER_SECRET set gets the same value from ke's environment
    const secret = ctx.env[DRIVER_SECRET_ENV] || undefined
    return ctx.supervisor.track(await GrpcClusterDriver.connect(attachedDriver(attach.address, log, secret), clientOptions))
  }
  if (!req.ref) throw new KeError('MISSING_VALUE', 'no driver given', {hint: 'pass --driver PATH|NAME (e.g. --driver sample)'})
  const command = resolveDriverCommand(ctx, req.ref)
  const secret = newDriverSecret()
  // a driver that prints its environment must not put the secret in a log
  ctx.redactor.add(secret)
  // the client is made, and grpc-js loaded for it, while the driver boots (launch.ts: onStarted), not
  // after: a driver started here boots through it, one started early (early-start.ts) is checked meanwhile
  const clients = new Map<string, Promise<Grpc.Client>>()
  let running: RunningDriver | undefined
  try {
    running = await launchDriver({
      command,
      env: buildDriverEnv(ctx.env, {...req.driverEnv, secret, unused: command.unusedEnv}),
      secret,
      readyTimeoutMs: req.readyTimeoutMs ?? 30_000,
      log,
      runDir: `${ctx.home}/run`,
      cluster: req.cluster,
      signal: ctx.supervisor.signal,
      onStarted: (address) => clients.set(address, handledLater(driverClientFor(address))),
    })
  } finally {
    closeClients(clients, running?.address)
  }
  ctx.supervisor.track(running)
  // an early-started driver (early-start.ts) has the secret it was started with
  if (running.secret) ctx.redactor.add(running.secret)
  const driver = await GrpcClusterDriver.connect(running, clientOptions, await clients.get(running.address))
  return ctx.supervisor.track(driver)
}

// serveDriver(): the gRPC side of a driver written with the SDK. The host starts it as `DRIVER <port>`
// and it serves /types.Driver/* on 127.0.0.1:<port> until it is stopped (PROTOCOL.md, transport).
import type * as Grpc from '@grpc/grpc-js'
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import {toWireCapabilities} from '../protocol/capabilities.js'
import {loadDriverService} from '../protocol/driver-service.js'
import {loadProto, withInfoReplies} from '../protocol/proto.js'
import {DRIVER_SECRET_ENV, DRIVER_SECRET_METADATA, isDriverSecret} from '../protocol/secret.js'
import {emptyClusterInfo, isEmptyClusterInfo, type DriverMethod} from '../protocol/types.js'
import {
  fromWireInfo,
  fromWireOptions,
  toWireFlags,
  toWireInfo,
  toWireK8sCapabilities,
  type WireClusterInfo,
  type WireDriverOptions,
} from '../protocol/wire.js'
import {warnIfCreateReturnedOptions, withCreateOrderHint} from './create-order.js'
import {capabilitiesOf, type Driver} from './driver.js'
import {CreateFailedError, NotImplementedError, UsageError, failedCreate, withoutStaleCreateError} from './errors.js'
import {log} from './log.js'
import {Options} from './options.js'
import {addLazily, type LazyMethod} from './lazy-services.js'

export interface ServeOptions {
  /** Defaults to process.argv: the port is the first argument after the script. */
  argv?: string[]
  /** Name in the usage message. */
  name?: string
  /** Exit when the process that started the driver goes away (default true). */
  exitWithParent?: boolean
  /** Exit with code 2 after printing the usage when there is no port (default true). */
  exitOnUsage?: boolean
}

export interface ServingDriver {
  port: number
  stop(): Promise<void>
}

type Handler = (request: any) => Promise<unknown>

interface SnapshotRequest {
  info?: WireClusterInfo
  driver_options?: WireDriverOptions
  SnapshotName?: string
}

function handlers(driver: Driver): Record<DriverMethod, Handler> {
  const info = (wire: WireClusterInfo | undefined) => fromWireInfo(wire)
  const options = (wire: WireDriverOptions | undefined) => new Options(fromWireOptions(wire))
  const notImplemented = (method: DriverMethod) => () => Promise.reject(new NotImplementedError(method))
  return {
    GetDriverCreateOptions: async () => ({options: toWireFlags(await driver.getDriverCreateOptions())}),
    GetDriverUpdateOptions: async () => ({options: toWireFlags((await driver.getDriverUpdateOptions?.()) ?? {})}),
    GetCapabilities: async () => ({capabilities: toWireCapabilities({...capabilitiesOf(driver), ...(await driver.getCapabilities?.())})}),
    Create: async (req) => {
      // hosts send an empty ClusterInfo on a first create and the stored one on a retry
      const stored = info(req.cluster_info)
      const previous = isEmptyClusterInfo(stored) ? undefined : stored
      const given = options(req.driver_options)
      try {
        const made = await driver.create(previous, given)
        warnIfCreateReturnedOptions(made, given)
        return toWireInfo(withoutStaleCreateError(made, previous))
      } catch (error) {
        if (error instanceof CreateFailedError) return toWireInfo(failedCreate(error.info, error.message))
        throw withCreateOrderHint(error)
      }
    },
    Update: driver.update ? async (req) => toWireInfo(await driver.update!(info(req.cluster_info), options(req.driver_options))) : notImplemented('Update'),
    PostCheck: async (req) => toWireInfo(await driver.postCheck(info(req))),
    Remove: async (req) => {
      await driver.remove(info(req))
      return {}
    },
    GetVersion: driver.getVersion ? async (req) => ({version: await driver.getVersion!(info(req))}) : notImplemented('GetVersion'),
    // replies are (de)serialised as ClusterInfo (withInfoReplies): {} is the `Empty` other drivers send
    SetVersion: async (req) => toWireInfo((await driver.setVersion?.(info(req.info), req.version?.version ?? '')) || emptyClusterInfo()),
    GetNodeCount: driver.getNodeCount ? async (req) => ({count: await driver.getNodeCount!(info(req))}) : notImplemented('GetNodeCount'),
    SetNodeCount: async (req) => toWireInfo((await driver.setNodeCount?.(info(req.info), Number(req.count?.count ?? 0))) || emptyClusterInfo()),
    ETCDSave: driver.etcdSave
      ? async (req: SnapshotRequest) => {
          await driver.etcdSave!(info(req.info), options(req.driver_options), req.SnapshotName ?? '')
          return {}
        }
      : notImplemented('ETCDSave'),
    ETCDRestore: driver.etcdRestore
      ? async (req: SnapshotRequest) => toWireInfo(await driver.etcdRestore!(info(req.info), options(req.driver_options), req.SnapshotName ?? ''))
      : notImplemented('ETCDRestore'),
    ETCDRemoveSnapshot: driver.etcdRemoveSnapshot
      ? async (req: SnapshotRequest) => {
          await driver.etcdRemoveSnapshot!(info(req.info), options(req.driver_options), req.SnapshotName ?? '')
          return {}
        }
      : notImplemented('ETCDRemoveSnapshot'),
    GetK8sCapabilities: async (req) =>
      toWireK8sCapabilities(
        (await driver.getK8sCapabilities?.(options(req))) ?? {ingressControllers: [], nodePoolScalingSupported: false, nodePortRange: ''},
      ),
    RemoveLegacyServiceAccount: async (req) => {
      await driver.removeLegacyServiceAccount?.(info(req))
      return {}
    },
  }
}

function toServiceError(grpc: typeof Grpc, method: string, error: unknown): Partial<Grpc.ServiceError> {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof NotImplementedError) return {code: grpc.status.UNIMPLEMENTED, details: message}
  if (error instanceof UsageError) return {code: grpc.status.INVALID_ARGUMENT, details: message}
  log('error', `${method} failed`, {error: message})
  return {code: grpc.status.UNKNOWN, details: message}
}

function usage(name: string, file: string | undefined): string {
  return `${name} is a Kubernetes cluster driver (kontainer-engine protocol): ke or Rancher starts it as \`${name} PORT\`. Try: ke create --driver ${driverRef(file) ?? name} --help`
}

/** What `--driver` takes for the file that was run: a path ke accepts (it runs .ts and .js files with Node). */
function driverRef(file: string | undefined): string | undefined {
  if (!file) return undefined
  const cwd = process.cwd()
  const path = resolve(cwd, file)
  const rel = relative(cwd, path)
  // from `/`, ./tmp/x reads as a slip for /tmp/x: the absolute path says it plainly
  const atRoot = dirname(cwd) === cwd
  return rel && !rel.startsWith('..') && !isAbsolute(rel) && !atRoot ? `./${rel}` : path
}

function parsePort(arg: string | undefined): number | undefined {
  if (arg === undefined || !/^\d+$/.test(arg)) return undefined
  const port = Number(arg)
  return port > 0 && port < 65536 ? port : undefined
}

/**
 * Serves `driver` on 127.0.0.1:<port from argv>. Without a valid port it prints what it is and exits 2,
 * whatever else the process holds open (exitOnUsage: false only sets the exit code). Shuts down on
 * SIGTERM/SIGINT, and when its parent process goes away.
 */
export async function serveDriver(driver: Driver, opts: ServeOptions = {}): Promise<ServingDriver | undefined> {
  // the parent as early as possible: one that dies while the driver boots must still be noticed
  const parent = process.ppid
  const argv = opts.argv ?? process.argv
  const name = opts.name ?? (argv[1] ? argv[1].split('/').pop()! : 'driver')
  const port = parsePort(argv[2])
  if (port === undefined) {
    process.stderr.write(`${usage(name, argv[1])}\n`)
    process.exitCode = 2
    // a driver that serves nothing must not be kept alive by whatever else the author's code holds open
    if (opts.exitOnUsage ?? true) process.exit(2)
    return undefined
  }
  const secret = takeDriverSecret()
  const {grpc, service} = await loadDriverService('server')
  const server = new grpc.Server()
  const implementation: Grpc.UntypedServiceImplementation = {}
  for (const [method, handle] of Object.entries(handlers(driver))) {
    implementation[method] = (call: Grpc.ServerUnaryCall<unknown, unknown>, callback: Grpc.sendUnaryData<unknown>) => {
      if (secret !== undefined && !isDriverSecret(secret, call.metadata.get(DRIVER_SECRET_METADATA)[0])) {
        log('info', `refused ${method}: the call did not carry the secret of the ke that started this driver`)
        callback({code: grpc.status.UNAUTHENTICATED, details: `this driver answers only the ke that started it: ${method} came without its driver secret`})
        return
      }
      handle(call.request).then(
        (reply) => callback(null, reply),
        (error) => callback(toServiceError(grpc, method, error) as Grpc.ServiceError),
      )
    }
  }
  server.addService(withInfoReplies(service), implementation)
  addHealthAndReflection(grpc, server)
  try {
    await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    )
  } catch (error) {
    log('error', `cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`)
    process.exitCode = 1
    return undefined
  }
  log('info', 'driver listening', {address: `127.0.0.1:${port}`})
  const stop = () => new Promise<void>((resolve) => server.tryShutdown(() => resolve()))
  const shutdown = (why: string) => {
    log('info', `shutting down: ${why}`)
    // the host decided: give calls in flight a moment, then stop, even if a handler is still busy
    const force = setTimeout(() => {
      server.forceShutdown()
      setTimeout(() => process.exit(0), 200).unref()
    }, 500)
    force.unref()
    // a driver never outlives the host's decision, whatever else the author keeps open
    void stop().then(() => {
      clearTimeout(force)
      process.exit(0)
    })
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  if (opts.exitWithParent ?? true) watchParent(parent, () => shutdown('parent process exited'))
  return {port, stop}
}

/**
 * The secret the host gave this driver, taken out of the environment so that the processes the author's
 * code starts from now on do not inherit it. Undefined when started by Rancher, by hand or by a Go host:
 * then every call is answered, as drivers of this protocol always have.
 */
function takeDriverSecret(): string | undefined {
  const secret = process.env[DRIVER_SECRET_ENV]
  delete process.env[DRIVER_SECRET_ENV]
  return secret || undefined
}

/** Existing drivers never exit on their own; ours do when the host that started them is gone. */
function watchParent(parent: number, onGone: () => void): void {
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer)
      onGone()
    }
  }, 1000)
  timer.unref()
}

export const HEALTH_METHODS: LazyMethod[] = [
  {path: '/grpc.health.v1.Health/Check', type: 'unary'},
  {path: '/grpc.health.v1.Health/Watch', type: 'serverStream'},
  {path: '/grpc.health.v1.Health/List', type: 'unary'},
]
export const REFLECTION_METHODS: LazyMethod[] = ['v1', 'v1alpha'].map((version) => ({path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`, type: 'bidi'}))

/**
 * Health and reflection answer without the driver secret: they tell only that the driver serves and the
 * public types.Driver schema, and need no cluster data, so probes and grpcurl keep working unchanged.
 * Both load on their first call (lazy-services.ts): ke never calls them, and loading them costs more
 * than a driver's start-up otherwise does.
 */
function addHealthAndReflection(grpc: typeof Grpc, server: Grpc.Server): void {
  addLazily(grpc, server, HEALTH_METHODS, async (target) => {
    const {HealthImplementation} = await import('grpc-health-check')
    new HealthImplementation({'': 'SERVING', 'types.Driver': 'SERVING'}).addToServer(target as never)
  })
  addLazily(grpc, server, REFLECTION_METHODS, async (target) => {
    // reflection serves the file descriptors, which only proto-loader's package definition carries
    const [{ReflectionService}, {packageDefinition}] = await Promise.all([import('@grpc/reflection'), loadProto()])
    try {
      new ReflectionService(packageDefinition as never).addToServer(target as never)
    } catch (error) {
      log('warning', `gRPC reflection unavailable: ${(error as Error).message}`)
    }
  })
}

export {emptyClusterInfo}

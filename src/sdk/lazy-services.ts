// gRPC services a driver serves but whose code loads on their first call. Health and reflection take
// ~40 ms to load (they parse their .proto files at run time), which a driver's first answer (ke waits
// for it on every command) should not pay. Their methods are registered before the server binds, so
// a probe or grpcurl that comes first is answered as before: its call waits for the load, then goes to
// the real implementation, which the package adds to a stand-in server that records it.
import type * as Grpc from '@grpc/grpc-js'

export type MethodType = 'unary' | 'clientStream' | 'serverStream' | 'bidi'

export interface LazyMethod {
  /** `/package.Service/Method` */
  path: string
  type: MethodType
}

/** What grpc-js keeps for a registered method (Server.register). */
interface RealMethod {
  func: (...args: any[]) => void
  serialize: (value: any) => Buffer
  deserialize: (bytes: Buffer) => any
  type: MethodType
}

/** The part of grpc-js's Server that services add themselves through. */
export type ServiceTarget = Pick<Grpc.Server, 'addService'>

/** A request read before the service's code was loaded: decoded once it is. */
class Undecoded {
  constructor(readonly bytes: Buffer) {}
}

function methodType(method: Grpc.MethodDefinition<unknown, unknown>): MethodType {
  if (method.requestStream) return method.responseStream ? 'bidi' : 'clientStream'
  return method.responseStream ? 'serverStream' : 'unary'
}

/** Records what `addService` is given, as grpc-js's Server.addService would register it. */
function recorder(methods: Map<string, RealMethod>): ServiceTarget {
  return {
    addService(service, implementation) {
      for (const [name, method] of Object.entries(service)) {
        const fn = implementation[name] ?? (typeof method.originalName === 'string' ? implementation[method.originalName] : undefined)
        if (!fn) continue
        methods.set(method.path, {func: fn.bind(implementation), serialize: method.responseSerialize, deserialize: method.requestDeserialize, type: methodType(method)})
      }
    },
  }
}

/**
 * Registers `methods` on `server` now, and loads their code with `load` on the first call to any of
 * them. `load` adds the real services to the target it is given. A method `load` adds that is not in
 * `methods` is registered then; one in `methods` that `load` does not add answers UNIMPLEMENTED.
 */
export function addLazily(grpc: typeof Grpc, server: Grpc.Server, methods: LazyMethod[], load: (target: ServiceTarget) => Promise<void>): void {
  const real = new Map<string, RealMethod>()
  let loaded = false
  let loading: Promise<void> | undefined
  const loadOnce = () =>
    (loading ??= load(recorder(real)).then(() => {
      loaded = true
      for (const [path, method] of real) if (!methods.some((lazy) => lazy.path === path)) server.register(path, method.func, method.serialize, method.deserialize, method.type)
    }))
  for (const {path, type} of methods) {
    const unimplemented = {code: grpc.status.UNIMPLEMENTED, details: `${path} is not served`}
    const serialize = (value: unknown) => real.get(path)!.serialize(value)
    // unary and server-streaming requests are read before the handler runs, maybe before the load
    const deserialize = (bytes: Buffer) => (loaded ? real.get(path)?.deserialize(bytes) : new Undecoded(bytes))
    const handle = (call: any, callback?: Grpc.sendUnaryData<unknown>) => {
      loadOnce().then(
        () => {
          const method = real.get(path)
          if (!method) return callback ? callback(unimplemented) : call.emit('error', unimplemented)
          if (call.request instanceof Undecoded) call.request = method.deserialize(call.request.bytes)
          method.func(call, callback)
        },
        (error: Error) => {
          const failed = {code: grpc.status.UNAVAILABLE, details: `${path} cannot load: ${error.message}`}
          return callback ? callback(failed) : call.emit('error', failed)
        },
      )
    }
    server.register(path, handle, serialize, deserialize, type)
  }
}

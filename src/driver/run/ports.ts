// Ports on 127.0.0.1: one free for a driver to bind, and whether something listens on one.
import {connect, createServer} from 'node:net'

/**
 * The kernel's pick of a free port on 127.0.0.1, for a driver to bind: racy by nature (another
 * process may take it before the driver does), so callers retry on "address already in use".
 */
export function pickFreePort(): Promise<number> {
  const port = boundPort()
  return port === undefined ? listenedPort() : Promise.resolve(port)
}

interface TcpHandle {
  bind(address: string, port: number): number
  getsockname(out: {port?: number}): number
  close(): void
}
interface TcpWrap {
  TCP: new (type: number) => TcpHandle
  constants: {SERVER: number}
}

/**
 * Binds a bare TCP handle to port 0, reads the port the kernel gave it and closes it, all at once.
 * `net.Server#listen` does the same but, on its first call in a process, loads Node's `dns` and
 * `cluster` and compiles its server path: ~2–3 ms before every driver could start. The handle comes
 * from process.binding('tcp_wrap') (deprecated in the docs, DEP0111, but kept by Node since for
 * packages that use it); where that is gone or changed, or where Node was told to warn of such APIs
 * (it then wraps process.binding in its warning), this gives undefined and the caller listens as before.
 */
export function boundPort(): number | undefined {
  const {binding} = process as unknown as {binding?: ((name: string) => TcpWrap) & {name: string}}
  if (binding?.name !== 'binding') return undefined
  try {
    const {TCP, constants} = binding.call(process, 'tcp_wrap')
    const handle = new TCP(constants.SERVER)
    const address: {port?: number} = {}
    const bound = handle.bind('127.0.0.1', 0) === 0 && handle.getsockname(address) === 0
    // closed before its port is given out (a close that throws gives none): the driver must find it free
    handle.close()
    return bound && Number.isInteger(address.port) && address.port! > 0 ? address.port : undefined
  } catch {
    return undefined
  }
}

/** Listens on port 0 and closes again. */
export function listenedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

// A local HTTP server on 127.0.0.1 for download tests: serves fixed bytes by path, 404 otherwise,
// and records every request so a test can assert that nothing was downloaded.
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Route {
  status?: number
  body?: Buffer | string
  headers?: Record<string, string>
  /** Send the headers and half the body, then nothing: a download that hangs until the client gives up. */
  stall?: boolean
}

export interface FileServer {
  url(path: string): string
  /** Paths requested so far, in order. */
  requests: string[]
  /** Request headers, by path, last request wins. */
  headers: Map<string, Record<string, string | string[] | undefined>>
  close(): Promise<void>
}

export async function startFileServer(routes: Record<string, Route>): Promise<FileServer> {
  const requests: string[] = []
  const headers = new Map<string, Record<string, string | string[] | undefined>>()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push(path)
    headers.set(path, req.headers)
    const route = routes[path]
    if (!route) {
      res.writeHead(404, 'Not Found', {'content-type': 'text/plain'}).end('not found')
      return
    }
    const body = route.body === undefined ? Buffer.alloc(0) : Buffer.from(route.body)
    res.writeHead(route.status ?? 200, {'content-length': String(body.length), ...route.headers})
    if (route.stall) res.write(body.subarray(0, body.length >> 1))
    else res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    headers,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

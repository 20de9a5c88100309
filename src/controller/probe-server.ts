// The controller's HTTP side: /healthz for the kubelet's liveness probe, /readyz for readiness (the
// informer has synced), /metrics for Prometheus. Plain node:http: three fixed paths need no framework.
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {KeError} from '../errors.js'
import type {ControllerMetrics} from './metrics.js'

export interface ProbeServerOptions {
  /** `host:port`, `:port` (all interfaces) or `[::1]:port`; port 0 picks a free one. */
  address: string
  metrics: ControllerMetrics
  healthy(): boolean
  ready(): boolean
}

export interface ProbeServer {
  /** The port it listens on (the real one when 0 was asked). */
  port: number
  /** Stops listening and ends open connections; idempotent. */
  close(): Promise<void>
}

export function parseAddress(address: string): {host: string | undefined; port: number} {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address.trim())
  const port = match ? Number(match[3]) : Number.NaN
  if (!match || port > 65_535) {
    throw new KeError('BAD_FLAG', `--probe-address ${JSON.stringify(address)} is not HOST:PORT`, {hint: 'for example --probe-address :8080 or --probe-address 127.0.0.1:0'})
  }
  const host = match[1] ?? match[2]
  return {host: host === '' ? undefined : host, port}
}

function answer(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {'content-type': contentType, 'cache-control': 'no-store'})
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

async function route(opts: ProbeServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'method not allowed\n')
  const path = new URL(req.url ?? '/', 'http://probe').pathname
  if (path === '/healthz') return opts.healthy() ? answer(res, 200, 'ok\n') : answer(res, 503, 'unhealthy\n')
  if (path === '/readyz') return opts.ready() ? answer(res, 200, 'ok\n') : answer(res, 503, 'not ready: Cluster objects not synced yet\n')
  if (path === '/metrics') {
    const {contentType, body} = await opts.metrics.render()
    return answer(res, 200, body, contentType)
  }
  answer(res, 404, 'not found: try /healthz, /readyz or /metrics\n')
}

export async function startProbeServer(opts: ProbeServerOptions): Promise<ProbeServer> {
  const {host, port} = parseAddress(opts.address)
  const server = createServer((req, res) => {
    route(opts, req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, `error: ${(error as Error).message}\n`)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use' : `cannot be bound (${error.code ?? error.message})`
      reject(new KeError('BAD_FLAG', `--probe-address ${opts.address} ${why}`, {hint: 'choose another port, or 0 for any free one', cause: error}))
    })
    server.listen({host, port}, resolve)
  })
  let closed: Promise<void> | undefined
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
  }
}

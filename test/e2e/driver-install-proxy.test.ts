// Issue 18, downloads behind a proxy: `ke driver install URL` goes through HTTPS_PROXY (CONNECT) and
// HTTP_PROXY as curl does, and straight to hosts NO_PROXY names. The proxy is a local one written here that
// records what passed through it; the server's host name, driver.test, only the proxy can resolve.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {createServer as createHttpServer, get as httpGet, type Server} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {connect, type AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeHome, runKeJson} from '../support/ke.js'

const ELF = readFileSync('/bin/true')
const FILE = '/releases/kontainer-engine-driver-lke-v1.0.0-linux-amd64'

interface Proxy {
  url: string
  /** `CONNECT host:port` targets and absolute `GET` URLs, in order. */
  seen: string[]
  server: Server
}

/** A forward proxy on 127.0.0.1 that resolves driver.test to 127.0.0.1 and records every request. */
async function startProxy(): Promise<Proxy> {
  const seen: string[] = []
  const target = (host: string) => (host === 'driver.test' ? '127.0.0.1' : host)
  const server = createHttpServer((req, res) => {
    seen.push(`GET ${req.url}`)
    const url = new URL(req.url!)
    const upstream = httpGet({host: target(url.hostname), port: url.port, path: url.pathname, headers: req.headers}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
  })
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = req.url!.split(':')
    const upstream = connect(Number(port), target(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server}
}

function serveDriver(server: Server): Promise<number> {
  server.on('request', (req, res) => {
    if (req.url === FILE) res.writeHead(200, {'content-length': String(ELF.length)}).end(ELF)
    else res.writeHead(404).end()
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

/** No proxy variable of the test runner's own leaks into ke. */
const NO_PROXY_ENV = {HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined}

describe('ke driver install behind a proxy', () => {
  let home: string
  let dispose: () => void
  let proxy: Proxy
  let caFile: string
  let httpsPort: number
  let httpPort: number
  const servers: Server[] = []

  before(async () => {
    ;({home, dispose} = makeHome('ke-proxy-'))
    // a certificate for driver.test, trusted by ke through NODE_EXTRA_CA_CERTS
    const key = join(home, 'driver.test.key')
    caFile = join(home, 'driver.test.crt')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', caFile, '-days', '2', '-subj', '/CN=driver.test', '-addext', 'subjectAltName=DNS:driver.test'], {stdio: 'ignore'})
    const https = createHttpsServer({key: readFileSync(key), cert: readFileSync(caFile)})
    const http = createHttpServer()
    servers.push(https, http)
    httpsPort = await serveDriver(https)
    httpPort = await serveDriver(http)
    proxy = await startProxy()
  })

  after(() => {
    for (const server of [...servers, proxy.server]) server.close()
    for (const server of [...servers, proxy.server]) server.closeAllConnections()
    dispose()
  })

  it('downloads an https URL through HTTPS_PROXY with CONNECT', async () => {
    const before = proxy.seen.length
    // When a driver is installed from https://driver.test, a name only the proxy resolves
    const result = await runKeJson(['driver', 'install', `https://driver.test:${httpsPort}${FILE}`, '--name', 'via-connect'], {
      home,
      env: {...NO_PROXY_ENV, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile},
    })
    // Then it is installed, byte for byte, and the proxy tunnelled exactly that connection
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readFileSync(result.json.path), ELF)
    assert.deepEqual(proxy.seen.slice(before), [`CONNECT driver.test:${httpsPort}`])
  })

  it('downloads an http URL through HTTP_PROXY', async () => {
    const before = proxy.seen.length
    const result = await runKeJson(['driver', 'install', `http://driver.test:${httpPort}${FILE}`, '--name', 'via-http-proxy'], {home, env: {...NO_PROXY_ENV, http_proxy: proxy.url}})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readFileSync(result.json.path), ELF)
    assert.deepEqual(proxy.seen.slice(before), [`GET http://driver.test:${httpPort}${FILE}`])
  })

  it('goes straight to a host NO_PROXY names, and the proxy sees nothing', async () => {
    const before = proxy.seen.length
    const env = {...NO_PROXY_ENV, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: 'example.invalid,127.0.0.1'}
    const result = await runKeJson(['driver', 'install', `http://127.0.0.1:${httpPort}${FILE}`, '--name', 'direct'], {home, env})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readFileSync(result.json.path), ELF)
    assert.deepEqual(proxy.seen.slice(before), [])
  })
})

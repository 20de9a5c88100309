// Downloads a driver over http(s) with node's own clients, through the proxy that HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY name, as curl reads them (proxy-agent). Unlike Rancher, which ignores the HTTP
// status (an error page then surfaces as a checksum mismatch or a failed extraction), a non-2xx
// answer is reported with its status.
import {createHash, type Hash} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {get as httpGet, type Agent, type IncomingMessage} from 'node:http'
import {get as httpsGet} from 'node:https'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {KeError} from '../../errors.js'
import type {HashAlgorithm} from './checksum.js'

const MAX_REDIRECTS = 5
/** No byte for this long means the server or the network is stuck; a slow but moving download is fine. */
const IDLE_TIMEOUT_MS = 30_000

export interface DownloadProgress {
  /** Called once the response headers arrive; `total` is undefined without Content-Length. */
  start(total: number | undefined): void
  received(bytes: number): void
  /** Called once, also when the download fails (`ok` false), so a progress line can be cleared. */
  finish(ok: boolean): void
}

export interface DownloadRequest {
  url: URL
  /** Written with mode 0600; the caller decides where the bytes go next. */
  dest: string
  /** Digests computed while the bytes stream by, so the file is read only once. */
  algorithms: HashAlgorithm[]
  progress?: DownloadProgress
  signal?: AbortSignal
}

export interface DownloadResult {
  bytes: number
  digests: Partial<Record<HashAlgorithm, string>>
  /** The last URL, after redirects (GitHub release links redirect to a CDN). */
  finalUrl: URL
}

/** The URL as shown and stored: no user:password, no signature-like query values. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href)
  shown.username = ''
  shown.password = ''
  for (const key of [...shown.searchParams.keys()]) {
    if (/sig|token|key|secret|pass|credential|auth/i.test(key)) shown.searchParams.set(key, 'redacted')
  }
  return shown.href
}

/** The parts of a URL that are secrets, for the redactor. */
export function urlSecrets(url: URL): string[] {
  const secrets = [decodeURIComponent(url.password)]
  for (const [key, value] of url.searchParams) if (/sig|token|key|secret|pass|credential|auth/i.test(key)) secrets.push(value)
  return secrets.filter(Boolean)
}

export function parseDownloadUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new KeError('BAD_ARGUMENT', `${JSON.stringify(text)} is not a URL`, {hint: 'pass an http:// or https:// URL, e.g. https://example.com/kontainer-engine-driver-lke'})
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KeError('BAD_ARGUMENT', `URL scheme ${url.protocol} is not supported; ke downloads drivers over http and https`, {
      hint: 'for a file on this machine, copy it to $KE_HOME/drivers/kontainer-engine-driver-NAME or pass --driver PATH',
    })
  }
  return url
}

export async function download(req: DownloadRequest): Promise<DownloadResult> {
  const shown = displayUrl(req.url)
  if (req.signal?.aborted) throw cancelled(shown)
  const {ProxyAgent} = await import('proxy-agent')
  // the proxy is chosen per URL from the environment, so a redirect to a NO_PROXY host goes direct
  const agent = new ProxyAgent()
  try {
    return await fetchTo(req, shown, agent)
  } finally {
    agent.destroy()
  }
}

async function fetchTo(req: DownloadRequest, shown: string, agent: Agent): Promise<DownloadResult> {
  const {response, finalUrl} = await follow(req.url, shown, agent, req.signal)
  const hashes = req.algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as [HashAlgorithm, Hash])
  const length = Number(response.headers['content-length'])
  req.progress?.start(Number.isFinite(length) && length > 0 ? length : undefined)
  let bytes = 0
  let ok = false
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      for (const [, hash] of hashes) hash.update(chunk)
      req.progress?.received(bytes)
      done(null, chunk)
    },
  })
  try {
    await pipeline(response, tap, createWriteStream(req.dest, {mode: 0o600}), {signal: req.signal})
    ok = !(Number.isFinite(length) && length > 0 && bytes !== length)
  } catch (error) {
    if (req.signal?.aborted) throw cancelled(shown)
    throw new KeError('DOWNLOAD_FAILED', `download of ${shown} broke off after ${bytes} bytes: ${(error as Error).message}`, {hint: 'retry; check your network or proxy'})
  } finally {
    req.progress?.finish(ok)
  }
  if (Number.isFinite(length) && length > 0 && bytes !== length) {
    throw new KeError('DOWNLOAD_FAILED', `download of ${shown} ended after ${bytes} of ${length} bytes`, {hint: 'retry; the connection closed early'})
  }
  return {bytes, digests: Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')])), finalUrl}
}

function cancelled(shown: string): KeError {
  return new KeError('CANCELLED', `download of ${shown} interrupted; nothing was installed`)
}

/** GETs `url`, following redirects, and resolves with a 2xx response whose body is not yet read. */
async function follow(url: URL, shown: string, agent: Agent, signal?: AbortSignal): Promise<{response: IncomingMessage; finalUrl: URL}> {
  let current = url
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await request(current, shown, agent, signal)
    const status = response.statusCode ?? 0
    const location = response.headers.location
    if (status >= 300 && status < 400 && location) {
      response.resume()
      current = new URL(location, current)
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new KeError('DOWNLOAD_FAILED', `${shown} redirects to a ${current.protocol} URL`, {hint: 'use a URL that serves the file over http(s)'})
      }
      continue
    }
    if (status < 200 || status >= 300) {
      response.resume()
      throw new KeError('DOWNLOAD_FAILED', `download of ${shown} failed: HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`, {
        hint: status === 404 ? 'check the URL: the server has no file there' : 'check the URL and that the server lets you download it',
      })
    }
    return {response, finalUrl: current}
  }
  throw new KeError('DOWNLOAD_FAILED', `${shown} redirected more than ${MAX_REDIRECTS} times`, {hint: 'check the URL'})
}

function request(url: URL, shown: string, agent: Agent, signal?: AbortSignal): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet
  return new Promise((resolvePromise, reject) => {
    const req = get(url, {signal, agent, headers: {'user-agent': 'ke'}}, resolvePromise)
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000}s`)))
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(cancelled(shown))
      reject(
        new KeError('DOWNLOAD_FAILED', `cannot download ${shown}: ${error.message}`, {
          hint: error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' ? 'check the host and port in the URL, and your network' : 'retry; check your network or proxy',
        }),
      )
    })
  })
}

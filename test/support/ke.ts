// Test harness: runs the built `ke` as a real subprocess in a temporary KE_HOME.
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, realpathSync, rmSync, existsSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {OCLIF_FILE} from '../../src/cli/oclif-loader.js'

// the checkout itself, also where the tests run compiled in a copy of it with symlinks (scripts/compile-tests.js)
export const ROOT = dirname(realpathSync(join(import.meta.dirname, '..', '..', 'package.json')))
export const KE_BIN = join(ROOT, 'bin', 'run.js')

export interface KeResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface KeOptions {
  home: string
  env?: Record<string, string | undefined>
  input?: string
  cwd?: string
  /** Upper bound for the whole command; the test fails rather than hangs. */
  timeoutMs?: number
}

/** A fresh KE_HOME that is removed when `dispose` is called. */
export function makeHome(prefix = 'ke-test-'): {home: string; dispose: () => void} {
  const home = mkdtempSync(join(tmpdir(), prefix))
  return {home, dispose: () => rmSync(home, {recursive: true, force: true})}
}

export function keEnv(opts: KeOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, KE_HOME: opts.home, NO_COLOR: '1', CI: 'true'}
  delete env.FORCE_COLOR
  delete env.KE_DEBUG
  // Node reads the certificates it names at every start, before any code runs: with a system bundle,
  // ~50 ms of CPU for each ke (and each driver it starts), thousands of times a run on a machine the
  // suite keeps busy. No ke run here needs the system's CAs; tests about this variable pass their own.
  delete env.NODE_EXTRA_CA_CERTS
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

/** Starts `ke` and returns the child, for tests that signal it or watch it run. */
export function startKe(args: string[], opts: KeOptions): ChildProcess {
  return spawn(process.execPath, ['--', KE_BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: keEnv(opts),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

export function collect(child: ChildProcess, opts: {input?: string; timeoutMs?: number} = {}): Promise<KeResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  if (opts.input !== undefined) child.stdin?.end(opts.input)
  else child.stdin?.end()
  const limit = opts.timeoutMs ?? 60_000
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`ke did not finish within ${limit} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, limit)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({code, signal, stdout, stderr})
    })
  })
}

/** How loadedBundles names the file oclif and ke's commands run from (src/cli/oclif-loader.ts). */
export const OCLIF_BUNDLE = `direct/${OCLIF_FILE}`

/**
 * The bundled files of dist/b a run of ke (not its driver) loaded: ES modules seen through a resolve hook,
 * CommonJS files in require's cache, and those run with a code cache (os/code-cache.ts) as node:vm scripts.
 */
export async function loadedBundles(home: string, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = join(home, 'loaded.txt')
  writeFileSync(log, '')
  const hooks = join(home, 'hooks.mjs')
  writeFileSync(hooks, `import {appendFileSync} from 'node:fs'
let file
export function initialize(data) { file = data.file }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  const match = /\\/dist\\/b\\/(.+\\.js)$/.exec(result.url)
  if (match) appendFileSync(file, match[1] + '\\n')
  return result
}
`)
  const register = join(home, 'register.mjs')
  // ke's process only (NODE_OPTIONS reaches a Node driver too): ES modules through the loader's hooks,
  // CommonJS files from require's cache at exit, and the names of node:vm's scripts
  writeFileSync(register, `import {register, createRequire} from 'node:module'
import {appendFileSync} from 'node:fs'
if (process.argv[1] === ${JSON.stringify(KE_BIN)}) {
  register(${JSON.stringify(`file://${hooks}`)}, {data: {file: ${JSON.stringify(log)}}})
  const require = createRequire(import.meta.url)
  const scripts = []
  const vm = require('node:vm')
  vm.Script = class extends vm.Script {
    constructor(code, options) {
      super(code, options)
      if (options?.filename) scripts.push(options.filename)
    }
  }
  process.on('exit', () => appendFileSync(${JSON.stringify(log)}, [...Object.keys(require.cache), ...scripts].flatMap((path) => /\\/dist\\/b\\/(.+)$/.exec(path)?.[1] ?? []).map((file) => file + '\\n').join('')))
}
`)
  const result = await runKe(args, {home, env: {...env, NODE_OPTIONS: `--import=${register}`}})
  if (result.code !== 0 && result.code !== 2) throw new Error(`ke ${args.join(' ')} failed: ${result.stderr}`)
  return readFileSync(log, 'utf8').split('\n').filter(Boolean)
}

/** Runs `ke ARGS` to completion. */
export function runKe(args: string[], opts: KeOptions): Promise<KeResult> {
  return collect(startKe(args, opts), opts)
}

/** Runs `ke ARGS --json` and parses stdout; fails with the whole output when it is not JSON. */
export async function runKeJson<T = any>(args: string[], opts: KeOptions): Promise<KeResult & {json: T}> {
  const result = await runKe([...args, '--json'], opts)
  try {
    return {...result, json: JSON.parse(result.stdout) as T}
  } catch {
    throw new Error(`stdout of ke ${args.join(' ')} is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
}

/** Polls `check` until it returns a truthy value or the deadline passes. Never a fixed sleep. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let delay = 5
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, delay))
    delay = Math.min(delay * 2, 100)
  }
}

export function clusterFile(home: string, name: string): string {
  return join(home, 'clusters', name, 'cluster.json')
}

export function readCluster(home: string, name: string): any {
  return JSON.parse(readFileSync(clusterFile(home, name), 'utf8'))
}

export function clusterExists(home: string, name: string): boolean {
  return existsSync(clusterFile(home, name))
}

/** The sample driver's simulated cloud lives here (it reads KE_HOME from the environment it inherits). */
export function sampleCloud(home: string): string {
  return join(home, 'sample-cloud')
}

/** Requests the sample driver received, in order: one JSON object per line of requests.jsonl. */
export function sampleRequests(home: string): Array<{method: string; request: any}> {
  const file = join(sampleCloud(home), 'requests.jsonl')
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
}

/** True while a process with this pid exists. */
export {isAlive} from '../../src/os/processes.js'

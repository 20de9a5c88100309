// A real Kubernetes control plane for tests (issue 14). One serves the whole test run: scripts/test.js
// starts it once (kubernetes-supervisor.ts) and passes its folder in KE_TEST_KUBE_DIR; a test file run
// alone starts its own the same way, and the supervisor stops it when the file's process is gone.
// Each test works in its own namespace or with its own names (`uniqueName`).
//
// Binaries, in order: KUBEBUILDER_ASSETS (envtest's folder: kube-apiserver, kube-controller-manager,
// etcd), then ../shared/k8s/unpack beside the repository. etcd: the assets' own, else `etcd` on PATH,
// else Debian's etcd-server installed with apt-get when running as root (as CI does).
import {execFile, spawn} from 'node:child_process'
import {request} from 'node:https'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {promisify} from 'node:util'
import {KubeConfig} from '@kubernetes/client-node'
import type {Binaries, ControlPlaneInfo} from './control-plane.js'
import {ROOT} from './ke.js'

const run = promisify(execFile)
const SHARED_UNPACK = resolve(ROOT, '..', 'shared', 'k8s', 'unpack')
/** scripts/test.js sets it for the whole run; a file run alone has none and starts its own. */
export const KUBE_DIR_ENV = 'KE_TEST_KUBE_DIR'
/** Start-up includes installing etcd and unpacking the binaries the first time. */
const START_DEADLINE_MS = 240_000

export interface TestKubernetes {
  /** https://127.0.0.1:PORT */
  server: string
  /** The admin's kubeconfig file (client certificate in O=system:masters), for ke subprocesses. */
  kubeconfigPath: string
  caPem: string
  /** A fresh client-node KubeConfig of the admin. */
  admin(): KubeConfig
}

/**
 * Why the real-Kubernetes tests cannot run here, or false. Under CI nothing is skipped: a missing
 * binary fails the tests instead.
 */
export function kubernetesSkipReason(): string | false {
  if (process.env.CI) return false
  if (process.env.KUBEBUILDER_ASSETS || existsSync(SHARED_UNPACK)) return false
  return NO_BINARIES
}

const NO_BINARIES =
  'no Kubernetes control-plane binaries: set KUBEBUILDER_ASSETS to a folder with kube-apiserver, kube-controller-manager and etcd (e.g. `setup-envtest use 1.32.x -p path`)'

/** The options for a describe/test that needs the control plane: skipped (with the reason) when it cannot run. */
export const needsKubernetes = {skip: kubernetesSkipReason()} as const

let shared: Promise<TestKubernetes> | undefined

/** The run's control plane, started on first use in this process when the run has none. */
export function kubernetes(): Promise<TestKubernetes> {
  shared ??= connect(process.env[KUBE_DIR_ENV] || startOwn())
  return shared
}

let own: Promise<TestKubernetes> | undefined

/**
 * A control plane of this process alone, for a test that needs cluster-wide state no other test file
 * changes (e.g. no CRD applied yet). Costs a start of its own: use it only for that.
 */
export function privateKubernetes(): Promise<TestKubernetes> {
  own ??= connect(startOwn())
  return own
}

/** A client-node KubeConfig for the control plane as another user (e.g. a service account's token). */
export function kubeConfigAs(kube: TestKubernetes, user: {token?: string}, opts: {caPem?: string; server?: string} = {}): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{name: 'real', server: opts.server ?? kube.server, caData: Buffer.from(opts.caPem ?? kube.caPem).toString('base64')}],
    users: [{name: 'user', ...user}],
    contexts: [{name: 'real', cluster: 'real', user: 'user'}],
    currentContext: 'real',
  })
  return kc
}

/** Whether an object exists: the read succeeds (true) or answers 404 (false); other errors are thrown. */
export async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read()
    return true
  } catch (error) {
    if ((error as {code?: number}).code === 404) return false
    throw error
  }
}

/** A name no other test (or earlier run) uses: `prefix-` and 6 hex digits. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`
}

/** Starts a supervisor for this process alone; it stops the control plane when this process ends. */
export function startSupervisor(watchedPid: number): {dir: string; pid: number} {
  const dir = mkdtempSync(join(tmpdir(), 'ke-kube-'))
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'kubernetes-supervisor.ts'), dir, String(watchedPid)], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
  })
  child.unref()
  return {dir, pid: child.pid!}
}

function startOwn(): string {
  const {dir, pid} = startSupervisor(process.pid)
  process.once('exit', () => {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  })
  return dir
}

async function connect(dir: string): Promise<TestKubernetes> {
  const deadline = Date.now() + START_DEADLINE_MS
  for (;;) {
    const ready = join(dir, 'ready.json')
    if (existsSync(ready)) return fromInfo(JSON.parse(readFileSync(ready, 'utf8')) as ControlPlaneInfo)
    for (const [file, prefix] of [['failed.txt', 'the test control plane did not start: '], ['skipped.txt', '']] as const) {
      if (existsSync(join(dir, file))) throw new Error(prefix + readFileSync(join(dir, file), 'utf8'))
    }
    if (!existsSync(dir)) throw new Error(`the test control plane's folder ${dir} is gone: its supervisor stopped`)
    if (Date.now() > deadline) throw new Error(`the test control plane in ${dir} was not ready within ${START_DEADLINE_MS / 1000} s`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

function fromInfo(info: ControlPlaneInfo): TestKubernetes {
  return {
    server: info.server,
    kubeconfigPath: info.kubeconfig,
    caPem: readFileSync(info.caFile, 'utf8'),
    admin() {
      const kc = new KubeConfig()
      kc.loadFromFile(info.kubeconfig)
      return kc
    },
  }
}

/** The binaries to run, installing etcd (root only) and unpacking ../shared/k8s when needed. */
export async function ensureBinaries(): Promise<Binaries> {
  const assets = process.env.KUBEBUILDER_ASSETS
  if (assets) {
    const missing = ['kube-apiserver', 'kube-controller-manager'].filter((b) => !existsSync(join(assets, b)))
    if (missing.length > 0) throw new Error(`KUBEBUILDER_ASSETS=${assets} has no ${missing.join(', ')}`)
    const etcd = existsSync(join(assets, 'etcd')) ? join(assets, 'etcd') : await ensureEtcd()
    return {etcd, apiserver: join(assets, 'kube-apiserver'), controllerManager: join(assets, 'kube-controller-manager')}
  }
  if (!existsSync(SHARED_UNPACK)) throw new Error(`${NO_BINARIES}; ${SHARED_UNPACK} is not there either`)
  const etcd = await ensureEtcd()
  const dir = (await run(SHARED_UNPACK, [])).stdout.trim()
  return {etcd, apiserver: join(dir, 'kube-apiserver'), controllerManager: join(dir, 'kube-controller-manager')}
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (dir && existsSync(join(dir, command))) return join(dir, command)
  }
  return undefined
}

async function ensureEtcd(): Promise<string> {
  const found = onPath('etcd')
  if (found) return found
  if (process.getuid?.() !== 0) throw new Error("etcd is missing: install Debian's etcd-server (sudo apt-get install -y etcd-server)")
  const apt = (args: string[]) =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}, maxBuffer: 64 << 20})
  try {
    await apt(['install', '-y', '--no-install-recommends', 'etcd-server'])
  } catch {
    await apt(['update'])
    await apt(['install', '-y', '--no-install-recommends', 'etcd-server'])
  }
  const installed = onPath('etcd')
  if (!installed) throw new Error('apt-get installed etcd-server, but there is no etcd on PATH')
  return installed
}

/** What `kubectl get clusters.ke.io -o wide` shows in a namespace: the API server's Table of the resource. */
export async function clusterTable(kc: KubeConfig, namespace: string): Promise<{columns: string[]; rows: Record<string, Record<string, unknown>>}> {
  const url = new URL(`${kc.getCurrentCluster()!.server}/apis/ke.io/v1alpha1/namespaces/${namespace}/clusters`)
  const options: Parameters<typeof request>[1] = {headers: {Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'}}
  await kc.applyToHTTPSOptions(options)
  const body = await new Promise<string>((resolveBody, reject) => {
    const req = request(url, options, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      res.on('end', () => (res.statusCode === 200 ? resolveBody(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))))
    })
    req.on('error', reject)
    req.end()
  })
  const table = JSON.parse(body) as {columnDefinitions: Array<{name: string}>; rows: Array<{cells: unknown[]}>}
  const columns = table.columnDefinitions.map((c) => c.name)
  const rows = Object.fromEntries(table.rows.map((row) => [String(row.cells[0]), Object.fromEntries(columns.map((name, i) => [name, row.cells[i]]))]))
  return {columns, rows}
}

// Builds the Go side of the interop tests: the grpc-go driver (current and "old proto" builds)
// and the Go host, from Go code that protoc generates out of our own proto/drivers.proto.
//
// Toolchain: Debian's packages only (Go 1.19, protoc 3.21, grpc-go 1.33, golang/protobuf 1.3.5
// with its protoc-gen-go, logrus), GOPATH mode, nothing downloaded. When they are missing and we
// run as root (CI), they are installed with apt-get.
//
// Binaries are cached under test/go/.build/<hash of sources, proto and toolchain>/, GOCACHE under
// test/go/.build/gocache. Several test files (separate processes) may ask at once: one builds
// (holding a lock directory), the others wait for its result.
import {execFile, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync, appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import assert from 'node:assert/strict'
import type {TestContext} from 'node:test'
import {ROOT, isAlive, makeHome, runKe, runKeJson, waitFor, type KeResult} from '../support/ke.js'

const run = promisify(execFile)

export const GO_DIR = join(ROOT, 'test', 'go')
export const BUILD_ROOT = join(GO_DIR, '.build')
export const PROTO = join(ROOT, 'proto', 'drivers.proto')
const GOCODE = '/usr/share/gocode'
const PROTOC_GEN_GO = '/usr/bin/protoc-gen-go'
const TYPES_IMPORT = 'github.com/rancher/kontainer-engine/types'

const APT_PACKAGES = [
  'golang-go',
  'protobuf-compiler',
  'golang-google-grpc-dev',
  'golang-goprotobuf-dev',
  'protoc-gen-go-grpc',
  'golang-github-sirupsen-logrus-dev',
]

export interface GoBuild {
  dir: string
  /** The driver built against proto/drivers.proto. */
  driver: string
  /** The same driver built against an older proto: no ETCDRemoveSnapshot, no
   *  RemoveLegacyServiceAccount, ETCDRestore returns Empty. */
  oldDriver: string
  /** The Go host (what Rancher does). */
  host: string
}

/** What must exist for a build; each entry is a path or a command looked up on PATH. */
function missingTools(): string[] {
  const missing: string[] = []
  const onPath = (cmd: string) =>
    (process.env.PATH ?? '/usr/bin').split(':').some((dir) => dir && existsSync(join(dir, cmd)))
  if (!onPath('go')) missing.push('go')
  if (!onPath('protoc')) missing.push('protoc')
  if (!existsSync(PROTOC_GEN_GO)) missing.push(PROTOC_GEN_GO)
  for (const pkg of ['google.golang.org/grpc', 'github.com/golang/protobuf/proto', 'github.com/sirupsen/logrus']) {
    if (!existsSync(join(GOCODE, 'src', pkg))) missing.push(join(GOCODE, 'src', pkg))
  }
  return missing
}

async function ensureToolchain(log: string): Promise<void> {
  const missing = missingTools()
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the Go interop tests need Debian's Go toolchain; missing: ${missing.join(', ')}.\n` +
        `Install it with: sudo apt-get install -y ${APT_PACKAGES.join(' ')}`,
    )
  }
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  const apt = (args: string[]) =>
    new Promise<void>((resolvePromise, reject) => {
      // the Kubernetes harness may be installing etcd at the same time: wait for dpkg's lock, do not fail on it
      const child = spawn('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
      let output = ''
      child.stdout.on('data', (d) => (output += d))
      child.stderr.on('data', (d) => (output += d))
      child.on('error', reject)
      child.on('close', (code) => {
        appendFileSync(log, `$ apt-get ${args.join(' ')}\n${output}\n`)
        if (code === 0) resolvePromise()
        else reject(new Error(`apt-get ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`))
      })
    })
  await apt(['update'])
  await apt(['install', '-y', ...APT_PACKAGES])
  const still = missingTools()
  if (still.length > 0) throw new Error(`still missing after apt-get install: ${still.join(', ')}`)
}

function goFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .sort()
}

async function toolVersions(): Promise<string> {
  try {
    const go = await run('go', ['version'])
    const protoc = await run('protoc', ['--version'])
    return go.stdout + protoc.stdout
  } catch {
    return 'tools missing'
  }
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256')
  for (const sub of ['driver', 'host']) {
    for (const file of goFiles(join(GO_DIR, sub))) {
      hash.update(`${sub}/${file}\0`).update(readFileSync(join(GO_DIR, sub, file))).update('\0')
    }
  }
  hash.update(readFileSync(PROTO)).update('\0')
  hash.update(readFileSync(join(GO_DIR, 'support.ts'))).update('\0')
  hash.update(await toolVersions())
  return hash.digest('hex').slice(0, 16)
}

/** The older proto: without ETCDRemoveSnapshot and RemoveLegacyServiceAccount, with ETCDRestore
 *  returning Empty. Fails loudly when the current proto no longer has the lines it edits. */
export function oldProto(current: string): string {
  const edits: Array<[RegExp, string]> = [
    [/^\s*rpc ETCDRemoveSnapshot\s*\(RemoveETCDSnapshotRequest\)\s*returns\s*\(Empty\)\s*\{\}\s*\n/m, ''],
    [/^\s*rpc RemoveLegacyServiceAccount\s*\(ClusterInfo\)\s*returns\s*\(Empty\)\s*\{\}\s*\n/m, ''],
    [
      /^(\s*rpc ETCDRestore\s*\(RestoreETCDSnapshotRequest\)\s*returns\s*)\(ClusterInfo\)/m,
      '$1(Empty)',
    ],
  ]
  let text = current
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(text)) throw new Error(`proto/drivers.proto has no line matching ${pattern}: the old-proto build cannot be made`)
    text = text.replace(pattern, replacement)
  }
  return text
}

async function buildInto(dir: string, log: string): Promise<void> {
  const gocache = join(BUILD_ROOT, 'gocache')
  mkdirSync(gocache, {recursive: true})
  mkdirSync(join(dir, 'bin'), {recursive: true})

  const variants = [
    {name: 'current', proto: readFileSync(PROTO, 'utf8'), tags: [] as string[]},
    {name: 'old', proto: oldProto(readFileSync(PROTO, 'utf8')), tags: ['oldproto']},
  ]
  for (const variant of variants) {
    const gopath = join(dir, `gopath-${variant.name}`)
    const protoDir = join(dir, `proto-${variant.name}`)
    const typesDir = join(gopath, 'src', TYPES_IMPORT)
    mkdirSync(protoDir, {recursive: true})
    mkdirSync(typesDir, {recursive: true})
    writeFileSync(join(protoDir, 'drivers.proto'), variant.proto)
    await step(log, 'protoc', [
      `--plugin=protoc-gen-go=${PROTOC_GEN_GO}`,
      `-I${protoDir}`,
      `--go_out=plugins=grpc:${typesDir}`,
      join(protoDir, 'drivers.proto'),
    ])
    const generated = join(typesDir, 'drivers.pb.go')
    if (!existsSync(generated) || !readFileSync(generated, 'utf8').includes('func RegisterDriverServer(')) {
      throw new Error(
        `${PROTOC_GEN_GO} did not generate grpc code into ${generated}: it must be the golang/protobuf 1.3.5 generator ` +
          `(Debian package golang-goprotobuf-dev), not the newer protoc-gen-go package`,
      )
    }
    const packages = [{dir: 'goexample', from: join(GO_DIR, 'driver')}]
    if (variant.name === 'current') packages.push({dir: 'ke-go-host', from: join(GO_DIR, 'host')})
    for (const pkg of packages) {
      mkdirSync(join(gopath, 'src', pkg.dir), {recursive: true})
      for (const file of goFiles(pkg.from)) copyFileSync(join(pkg.from, file), join(gopath, 'src', pkg.dir, file))
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: `${gopath}:${GOCODE}`,
      GOPROXY: 'off',
      GOFLAGS: '',
      GOENV: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOCACHE: gocache,
    }
    const driverBin = variant.name === 'current' ? 'kontainer-engine-driver-goexample' : 'kontainer-engine-driver-goold'
    await step(log, 'go', ['build', '-tags', variant.tags.join(','), '-ldflags=-s -w', '-o', join(dir, 'bin', driverBin), 'goexample'], env, gopath)
    if (variant.name === 'current') {
      await step(log, 'go', ['build', '-ldflags=-s -w', '-o', join(dir, 'bin', 'ke-go-host'), 'ke-go-host'], env, gopath)
    }
  }
}

async function step(log: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Promise<void> {
  appendFileSync(log, `$ ${cmd} ${args.join(' ')}\n`)
  try {
    const {stdout, stderr} = await run(cmd, args, {env, cwd, maxBuffer: 64 * 1024 * 1024})
    appendFileSync(log, stdout + stderr)
  } catch (error) {
    const e = error as {stdout?: string; stderr?: string; message: string}
    appendFileSync(log, `${e.stdout ?? ''}${e.stderr ?? ''}\n`)
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stderr || e.stdout || e.message}`)
  }
}

function result(dir: string): GoBuild {
  return {
    dir,
    driver: join(dir, 'bin', 'kontainer-engine-driver-goexample'),
    oldDriver: join(dir, 'bin', 'kontainer-engine-driver-goold'),
    host: join(dir, 'bin', 'ke-go-host'),
  }
}

function complete(dir: string): boolean {
  return existsSync(join(dir, 'bin', 'BUILT'))
}

/** Removes the lock when its owner died (or never wrote its pid within a minute). */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'))
    return !(pid > 0 && isAlive(pid))
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs > 60_000
    } catch {
      return false // the lock just went away
    }
  }
}

/** Runs `work` in one process at a time (across processes), unless `done` already holds. */
async function exclusive(lock: string, done: () => boolean, work: () => Promise<void>): Promise<void> {
  for (;;) {
    if (done()) return
    try {
      mkdirSync(lock)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // Someone else works: wait for their result, or for their lock to go away.
      await waitFor(() => done() || !existsSync(lock) || lockIsStale(lock), `${lock} (another test process)`, 15 * 60_000)
      if (!done() && existsSync(lock) && lockIsStale(lock)) rmSync(lock, {recursive: true, force: true})
      continue
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid))
      if (!done()) await work()
      return
    } finally {
      rmSync(lock, {recursive: true, force: true})
    }
  }
}

async function buildOnce(): Promise<GoBuild> {
  mkdirSync(BUILD_ROOT, {recursive: true})
  await exclusive(
    join(BUILD_ROOT, 'toolchain.lock'),
    () => missingTools().length === 0,
    () => ensureToolchain(join(BUILD_ROOT, 'toolchain.log')),
  )
  const hash = await sourceHash()
  const final = join(BUILD_ROOT, hash)
  await exclusive(join(BUILD_ROOT, `${hash}.lock`), () => complete(final), async () => {
    const log = join(BUILD_ROOT, `${hash}.log`)
    writeFileSync(log, '')
    const tmp = join(BUILD_ROOT, `tmp-${hash}-${process.pid}`)
    rmSync(tmp, {recursive: true, force: true})
    rmSync(final, {recursive: true, force: true})
    await buildInto(tmp, log)
    writeFileSync(join(tmp, 'bin', 'BUILT'), `${new Date().toISOString()}\n${await toolVersions()}`)
    renameSync(tmp, final)
    prune(hash)
  })
  return result(final)
}

/** Drops builds of older sources (and leftovers of killed builds). */
function prune(keep: string): void {
  for (const entry of readdirSync(BUILD_ROOT)) {
    if (entry === 'gocache' || entry.startsWith('toolchain.') || entry === keep || entry.startsWith(`${keep}.`)) continue
    const tmp = /^tmp-[0-9a-f]{16}-(\d+)$/.exec(entry)
    if (tmp && isAlive(Number(tmp[1]))) continue
    if (/\.lock$/.test(entry)) continue
    if (/^[0-9a-f]{16}(\.log)?$/.test(entry) || tmp) rmSync(join(BUILD_ROOT, entry), {recursive: true, force: true})
  }
}

let building: Promise<GoBuild> | undefined

/** Builds (or finds cached) the Go driver, its old-proto build and the Go host. */
export function goBuild(): Promise<GoBuild> {
  building ??= buildOnce()
  return building
}

/** One line per request the Go driver received (see test/go/driver/main.go). */
export interface DriverRecord {
  method: string
  request: any
  response?: any
  code: string
  error?: string
  logId?: string
  unrecognized: string[]
  unknown?: boolean
}

export function readRecords(file: string): DriverRecord[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DriverRecord)
}

/** Runs the Go host with a JSON config on stdin; resolves with its parsed report. */
export function runGoHost(host: string, config: unknown, timeoutMs = 120_000): Promise<{code: number | null; report: any; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(host, ['run'], {stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`ke-go-host did not finish within ${timeoutMs} ms\nstderr: ${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code !== 0) {
        resolvePromise({code, report: undefined, stderr})
        return
      }
      try {
        resolvePromise({code, report: JSON.parse(stdout), stderr})
      } catch {
        reject(new Error(`ke-go-host printed no JSON (exit ${code}):\n${stdout}\n${stderr}`))
      }
    })
    child.stdin.end(JSON.stringify(config))
  })
}

/** Environment for ke (inherited by the Go driver it starts): where the driver records and keeps its cloud. */
export function goDriverEnv(dir: string): {GO_DRIVER_RECORD: string; GO_DRIVER_CLOUD: string} {
  return {GO_DRIVER_RECORD: join(dir, 'go-driver-requests.jsonl'), GO_DRIVER_CLOUD: join(dir, 'go-cloud')}
}

/** The clusters present in the Go driver's simulated cloud, by id. */
export function goCloud(dir: string): Record<string, any> {
  const cloud = goDriverEnv(dir).GO_DRIVER_CLOUD
  if (!existsSync(cloud)) return {}
  return Object.fromEntries(
    readdirSync(cloud)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(join(cloud, f), 'utf8'))]),
  )
}

// ---- helpers shared by the ke-runs-the-Go-driver tests ----

export const ACCESS_KEY = 'ak-9f3c-secret-key'

export interface World {
  home: string
  env: Record<string, string>
  ke: (args: string[]) => Promise<KeResult>
  keJson: (args: string[]) => Promise<KeResult & {json: any}>
  records: (method?: string) => DriverRecord[]
}

/** A fresh KE_HOME for one test (removed after it), with the Go driver's record and cloud in it. */
export function world(t: TestContext): World {
  const {home, dispose} = makeHome('ke-go-driver-')
  t.after(dispose)
  const env = goDriverEnv(home)
  return {
    home,
    env,
    ke: (args) => runKe(args, {home, env}),
    keJson: (args) => runKeJson(args, {home, env}),
    records: (method) => readRecords(env.GO_DRIVER_RECORD).filter((r) => method === undefined || r.method === method),
  }
}

export function ok(result: KeResult, what: string): void {
  assert.equal(result.code, 0, `${what} failed (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
}

/** No request carried fields the driver's proto does not declare, and ke called no unknown method. */
export function assertCleanWire(records: DriverRecord[], allowUnknown: string[] = []): void {
  for (const r of records) {
    assert.deepEqual(r.unrecognized, [], `${r.method}: ke sent field numbers the Go driver does not know`)
    if (r.unknown) assert.ok(allowUnknown.includes(r.method), `ke called ${r.method}, which is not a method of types.Driver`)
  }
}

export function only(records: DriverRecord[], method: string): DriverRecord {
  const found = records.filter((r) => r.method === method)
  assert.equal(found.length, 1, `expected one ${method} call, got ${found.length}: ${records.map((r) => r.method).join(', ')}`)
  return found[0]
}

/** The wire (proto3 JSON) form of the ClusterInfo ke stored. */
export function wireInfo(info: any): any {
  return {
    version: info.version,
    service_account_token: info.serviceAccountToken,
    endpoint: info.endpoint,
    username: info.username,
    password: info.password,
    root_ca_certificate: info.rootCaCertificate,
    client_certificate: info.clientCertificate,
    client_key: info.clientKey,
    node_count: String(info.nodeCount),
    metadata: info.metadata,
    status: info.status,
    create_error: info.createError,
  }
}

/** `ke create` with the Go driver and its required access key; fails the test when ke fails. */
export async function createGoCluster(w: World, go: GoBuild, name: string, extra: string[] = []): Promise<KeResult> {
  const result = await w.ke(['create', '--driver', go.driver, '--access-key', ACCESS_KEY, ...extra, name])
  ok(result, `ke create ${name}`)
  return result
}

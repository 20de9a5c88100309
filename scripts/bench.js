#!/usr/bin/env node
// `npm run bench`: ke's speed and memory goals, each measured against a baseline taken in the same run,
// printed as a table of medians and ratios. Absolute times drift between machines; ratios hold.
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {benchRecord} from './bench-records.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const KE = join(ROOT, 'bin', 'run.js')
// the built-in sample driver as ke runs it (src/driver/install/locate.ts): bundled
const SAMPLE = join(ROOT, 'dist', 'b', 'drivers', 'sample.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6

function timeCommand(args, env = {}) {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
  const elapsed = ms(start)
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`)
  return elapsed
}

function medianOf(runs, fn) {
  const values = []
  for (let i = 0; i < runs; i++) values.push(fn(i))
  return median(values)
}

function canConnect(port) {
  return new Promise((done) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => done(socket.destroy() || true))
    socket.once('error', () => done(false))
  })
}

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => done(port))
    })
  })
}

/** Readiness: time from the driver binding its port to ke's launcher resolving (polls with back-off). */
async function readinessAfterListen(home) {
  const {launchDriver} = await import(join(ROOT, 'dist', 'driver', 'run', 'launch.js'))
  const {DriverLog} = await import(join(ROOT, 'dist', 'driver', 'run', 'driver-log.js'))
  const {Redactor} = await import(join(ROOT, 'dist', 'redact.js'))
  const script = join(home, 'bind-stamp.mjs')
  // a stand-in driver that notes the wall-clock time right after it binds
  writeFileSync(script, `import {createServer} from 'node:net'; import {writeFileSync} from 'node:fs'
const s = createServer(() => {}); s.listen(Number(process.argv[2]), '127.0.0.1', () => writeFileSync(process.env.STAMP, String(performance.timeOrigin + performance.now())))\n`)
  const values = []
  for (let i = 0; i < RUNS; i++) {
    const stamp = join(home, `stamp-${i}`)
    const driver = await launchDriver({
      command: {display: 'bench', ref: script, file: script, command: process.execPath, args: [script], builtin: true},
      env: {...process.env, STAMP: stamp}, readyTimeoutMs: 10_000, log: new DriverLog('bench', new Redactor()), runDir: join(home, 'run'),
    })
    const ready = performance.timeOrigin + performance.now()
    // the launcher may see the port accept before the stand-in's listen callback has written the stamp
    while (!existsSync(stamp)) await new Promise((done) => setTimeout(done, 1))
    values.push(ready - Number(readFileSync(stamp, 'utf8')))
    await driver.stop()
  }
  return median(values)
}

async function connectBaseline() {
  const server = createServer(() => {}).listen(0, '127.0.0.1')
  await new Promise((done) => server.once('listening', done))
  const {port} = server.address()
  const value = medianOf(RUNS, () => 0)
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint()
    await canConnect(port)
    times.push(ms(start))
  }
  server.close()
  return median(times) + value
}

/** `count` clusters whose records are the size real drivers make them (scripts/bench-records.js). */
function makeClusters(home, count) {
  for (let i = 0; i < count; i++) {
    const name = `c-${i}`
    mkdirSync(join(home, 'clusters', name), {recursive: true})
    writeFileSync(join(home, 'clusters', name, 'cluster.json'), `${JSON.stringify(benchRecord(name, i), null, 2)}\n`)
  }
}

/** Peak RSS of the ke process itself, via a preloaded hook that reports it at exit. */
function peakRssOfCreate(home, i) {
  const file = join(home, `rss-${i}`)
  const hook = join(home, 'rss-hook.cjs')
  // NODE_OPTIONS reaches the driver too (it is a Node process): record only ke's own process
  writeFileSync(hook, `if (process.argv[1] === ${JSON.stringify(KE)}) process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.resourceUsage().maxRSS)))\n`)
  timeCommand([KE, 'create', '--driver', 'sample', `rss-${i}`], {KE_HOME: home, NODE_OPTIONS: `--require ${hook}`})
  return Number(readFileSync(file, 'utf8')) / 1024
}

/** The Go driver of the interop tests (test/go/driver), built (or found cached) by their support code. */
function goDriver() {
  const script = "const {goBuild} = await import('./test/go/support.ts'); process.stdout.write((await goBuild()).driver)"
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
  if (result.status !== 0 || !existsSync(result.stdout)) throw new Error('cannot build the Go driver of test/go (see ../shared/GO.md)')
  return result.stdout
}

/**
 * Milliseconds from spawning the sample driver to its answer to GetCapabilities, dialled as ke dials,
 * and `node -e 0` timed between the runs: its own baseline, taken under the same load.
 */
async function sampleFirstCall(home) {
  const {loadProto} = await import(join(ROOT, 'dist', 'protocol', 'proto.js'))
  const {grpc, Driver} = await loadProto()
  const values = []
  const baseline = []
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort()
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, [SAMPLE, String(port)], {stdio: 'ignore', env: {...process.env, KE_SAMPLE_CLOUD: join(home, 'cloud')}})
    const exited = new Promise((done) => child.once('exit', done))
    while (!(await canConnect(port))) {
      if (child.exitCode !== null) throw new Error('the sample driver exited before it listened')
      await new Promise((done) => setTimeout(done, 2))
    }
    const client = new Driver(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
    await new Promise((done, fail) => client.GetCapabilities({}, {deadline: Date.now() + 30_000}, (error) => (error ? fail(error) : done())))
    values.push(ms(start))
    client.close()
    child.kill('SIGTERM')
    await exited
    baseline.push(timeCommand(['-e', '0']))
  }
  return {firstCall: median(values), nodeNearby: median(baseline)}
}

async function main() {
  if (!existsSync(SAMPLE)) throw new Error('run `npm run build` first')
  const home = mkdtempSync(join(tmpdir(), 'ke-bench-'))
  try {
    const go = goDriver()
    const env = {KE_HOME: home, CI: 'true', NO_COLOR: '1'}
    const goEnv = {...env, GO_DRIVER_CLOUD: join(home, 'go-cloud')}
    mkdirSync(goEnv.GO_DRIVER_CLOUD)
    const emptyHome = join(home, 'empty')
    const lsHome = join(home, 'many')
    makeClusters(lsHome, 10_000)
    // warm the file cache, and let ls build its index, as any earlier run would
    timeCommand([KE, 'ls', '--json'], {...env, KE_HOME: lsHome})
    // and let those 200 MB (and the build's files) reach the disk first: written back while the series
    // ran, they made each fsync of a create's records wait its turn, a cost of this script, not of ke
    spawnSync('sync')
    // every measure interleaved with the baseline, so that load on the machine hits both alike
    const series = {
      node: () => timeCommand(['-e', '0']),
      version: () => timeCommand([KE, '--version'], env),
      lsEmpty: () => timeCommand([KE, 'ls'], {...env, KE_HOME: emptyHome}),
      createRmGo: (i) => timeCommand([KE, 'create', '--driver', go, '--access-key', 'bench', `go-${i}`], goEnv) + timeCommand([KE, 'rm', '-y', `go-${i}`], goEnv),
      createRm: (i) => timeCommand([KE, 'create', '--driver', 'sample', `bench-${i}`], env) + timeCommand([KE, 'rm', '-y', `bench-${i}`], env),
      ls: () => timeCommand([KE, 'ls', '--json'], {...env, KE_HOME: lsHome}),
      // what runs through oclif (src/cli/oclif-loader.ts): the issue sets no goal for it
      help: () => timeCommand([KE, '--help'], {...env, KE_HOME: emptyHome}),
      driverLs: () => timeCommand([KE, 'driver', 'ls'], {...env, KE_HOME: emptyHome}),
    }
    const times = Object.fromEntries(Object.keys(series).map((key) => [key, []]))
    for (let i = 0; i < RUNS; i++) for (const [key, fn] of Object.entries(series)) times[key].push(fn(i))
    const [nodeBaseline, version, lsEmpty, createRmGo, createRm, ls, help, driverLs] = Object.keys(series).map((key) => median(times[key]))
    const {firstCall, nodeNearby} = await sampleFirstCall(home)
    const readiness = await readinessAfterListen(home)
    const connectOnce = await connectBaseline()
    const rss = medianOf(3, (i) => peakRssOfCreate(home, i))
    const nodeRss = medianOf(3, (i) => {
      const file = join(home, `node-rss-${i}`)
      timeCommand(['-e', `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.resourceUsage().maxRSS)))`])
      return Number(readFileSync(file, 'utf8')) / 1024
    })
    // goals in milliseconds were set where `node -e 0` took 53 ms (shared/SPEED.md); machines drift, ratios hold
    const REFERENCE_NODE_MS = 53
    const vsNode = (value, goal) => [value, 'ms', 'node -e 0', nodeBaseline, `<= ${goal}x`, value / nodeBaseline <= goal]
    const msGoal = (value, goalMs, base = nodeBaseline) => [value, 'ms', 'node -e 0', base, `<= ${goalMs} ms = ${(goalMs / REFERENCE_NODE_MS).toFixed(2)}x`, value / base <= goalMs / REFERENCE_NODE_MS]
    const rows = [
      ['ke ls, empty store', ...vsNode(lsEmpty, 1.5)],
      ['ke --version', ...vsNode(version, 1.1)],
      ['ke create + ke rm, instant Go driver', ...vsNode(createRmGo, 4)],
      ['ke create + ke rm, sample driver', ...vsNode(createRm, 6)],
      ['sample driver: spawn to first answered call', ...msGoal(firstCall, 120, nodeNearby)],
      ['ke ls --json, 10,000 clusters of ~20 KiB', ...vsNode(ls, 6.6)],
      ['driver readiness after it listens', readiness, 'ms', 'one TCP connect', connectOnce, '<= 25 ms', readiness <= 25],
      ['peak RSS of ke during create', rss, 'MiB', 'node -e 0', nodeRss, '<= 70 MiB', rss <= 70],
      ['ke --help (through oclif)', help, 'ms', 'node -e 0', nodeBaseline, 'none', undefined],
      ['ke driver ls, none installed (through oclif)', driverLs, 'ms', 'node -e 0', nodeBaseline, 'none', undefined],
    ]
    const table = [
      '| measure | median | baseline | ratio | goal | met |',
      '|---|---|---|---|---|---|',
      ...rows.map(([what, value, unit, base, baseValue, goal, met]) =>
        `| ${what} | ${value.toFixed(1)} ${unit} | ${base}: ${baseValue.toFixed(1)} ${unit} | ${(value / baseValue).toFixed(2)}x | ${goal} | ${met === undefined ? '-' : met ? 'yes' : 'no'} |`),
    ]
    console.log(`ke benchmarks: median of ${RUNS} runs (RSS: 3), ${new Date().toISOString().slice(0, 10)}, node ${process.version}`)
    console.log(`goals in ms are judged as ratios to node -e 0, which took ${REFERENCE_NODE_MS} ms where they were set\n`)
    console.log(table.join('\n'))
    const extra = join(ROOT, 'scripts', 'bench-package.js')
    if (existsSync(extra) && process.env.BENCH_PACKAGE !== '0') {
      console.log('')
      spawnSync(process.execPath, [extra], {stdio: 'inherit'})
    }
    // BENCH_KUBE=0: the table above alone (the Kubernetes rows start a control plane and take minutes)
    if (process.env.BENCH_KUBE !== '0') {
      spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-store.js')], {stdio: 'inherit'})
      spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-controller.js')], {stdio: 'inherit'})
    }
  } catch (error) {
    console.error(error)
    process.exitCode = 1
  } finally {
    // a driver stopped a moment ago may still be writing its files
    rmSync(home, {recursive: true, force: true, maxRetries: 10})
  }
}

await main()

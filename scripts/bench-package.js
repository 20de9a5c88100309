#!/usr/bin/env node
// Start-up and size of the packaged sample driver (`ke driver package sample`) against the plain
// script (`node dist/builtin-drivers/sample/main.js`). Start-up is the time from spawn to the first answered
// GetCapabilities, dialled as ke dials: once the port accepts TCP.
//
// Usage: node scripts/bench-package.js [--runs N] [--packaged FILE] [--json]
//   --packaged FILE   reuse a packaged sample instead of packaging one (packaging takes ~20 s)
// Needs the build (dist/, as `npm run bench` makes it).
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

const ROOT = resolve(import.meta.dirname, '..')
const SCRIPT = join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')
const {values: opts} = parseArgs({options: {runs: {type: 'string', default: '10'}, packaged: {type: 'string'}, json: {type: 'boolean', default: false}}})
const runs = Number(opts.runs)
if (!existsSync(SCRIPT)) {
  console.error(`${SCRIPT} is missing: build first (npx tsc -p tsconfig.json)`)
  process.exit(1)
}
const {loadProto} = await import(join(ROOT, 'dist', 'protocol', 'proto.js'))
const {grpc, Driver} = await loadProto()

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => done(port))
    })
  })
}

function accepts(port) {
  return new Promise((done) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => (socket.destroy(), done(true)))
    socket.once('error', () => done(false))
  })
}

/** Milliseconds from spawn to the first GetCapabilities answer; a new port when another process took it. */
async function startUp(command, args, cloud, attempts = 3) {
  try {
    return await startUpOnce(command, args, cloud)
  } catch (error) {
    if (attempts <= 1 || !error.exited) throw error
    return startUp(command, args, cloud, attempts - 1)
  }
}

async function startUpOnce(command, args, cloud) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(command, [...args, String(port)], {stdio: 'ignore', env: {...process.env, KE_SAMPLE_CLOUD: cloud}})
  const exited = new Promise((done) => child.once('exit', done))
  try {
    const deadline = Date.now() + 30_000
    while (!(await accepts(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw Object.assign(new Error(`${command} did not listen on ${port}`), {exited: child.exitCode !== null})
      }
      await new Promise((r) => setTimeout(r, 2))
    }
    const client = new Driver(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
    await new Promise((done, fail) => client.GetCapabilities({}, {deadline: Date.now() + 30_000}, (error) => (error ? fail(error) : done())))
    const elapsed = performance.now() - started
    client.close()
    return elapsed
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const ms = (value) => `${value.toFixed(0)} ms`
const ratio = (value, base) => `${(value / base).toFixed(2)}×`

const work = mkdtempSync(join(tmpdir(), 'ke-bench-package-'))
try {
  let packaged = opts.packaged && resolve(opts.packaged)
  let archive = packaged && existsSync(`${packaged}.tar.gz`) ? `${packaged}.tar.gz` : undefined
  if (!packaged) {
    packaged = join(work, 'kontainer-engine-driver-sample')
    process.stderr.write('packaging the sample driver (ke driver package sample --archive) ...\n')
    const out = execFileSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'driver', 'package', 'sample', '-o', packaged, '--archive', '--json'], {
      encoding: 'utf8',
      env: {...process.env, KE_HOME: join(work, 'home')},
    })
    archive = JSON.parse(out).archive.path
  }

  // Interleaved, so that load on the machine hits both alike; one warm-up run each.
  const cloud = join(work, 'cloud')
  const times = {script: [], packaged: []}
  await startUp(process.execPath, [SCRIPT], cloud)
  await startUp(packaged, [], cloud)
  for (let i = 0; i < runs; i++) {
    times.script.push(await startUp(process.execPath, [SCRIPT], cloud))
    times.packaged.push(await startUp(packaged, [], cloud))
  }

  const base = median(times.script)
  const node = statSync(process.execPath).size
  const rows = [
    {driver: 'node dist/builtin-drivers/sample/main.js', median: base, min: Math.min(...times.script), size: node, note: 'node binary alone; plus ke and its node_modules'},
    {driver: 'packaged executable', median: median(times.packaged), min: Math.min(...times.packaged), size: statSync(packaged).size, note: 'nothing else needed'},
  ]
  if (archive) rows.push({driver: 'packaged, as .tar.gz', size: statSync(archive).size, note: 'what Rancher downloads with --archive'})

  if (opts.json) {
    console.log(JSON.stringify({runs, node: process.version, rows}, null, 2))
  } else {
    const table = [
      ['driver', 'start→GetCapabilities (median)', 'min', 'vs script', 'size', 'vs node', ''],
      ...rows.map((row) => [
        row.driver,
        row.median === undefined ? '' : ms(row.median),
        row.min === undefined ? '' : ms(row.min),
        row.median === undefined ? '' : ratio(row.median, base),
        mb(row.size),
        ratio(row.size, node),
        row.note,
      ]),
    ]
    const widths = table[0].map((_, i) => Math.max(...table.map((cells) => cells[i].length)))
    console.log(`packaged driver vs plain script, ${runs} runs each, Node ${process.version}`)
    for (const cells of table) console.log(cells.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd())
  }
} finally {
  rmSync(work, {recursive: true, force: true})
}

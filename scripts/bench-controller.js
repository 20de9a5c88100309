#!/usr/bin/env node
// Issue 16's benchmark row: 100 Cluster objects with the sample driver applied at once to a running
// `ke controller`: seconds until all are Running, and the controller's peak RSS (goals: <= 30 s,
// <= 200 MiB), beside the CLI creating the same 100 on the same Kubernetes store with the same
// parallelism (`ke create` processes, N at a time). Run at the end of scripts/bench.js, or alone after
// `npm run build`. It needs a real control plane, started as scripts/test.js starts the tests' one
// (test/support/kubernetes-supervisor.ts, stopped when this script ends); without the binaries the
// row is skipped with the reason. BENCH_CONTROLLER_CLUSTERS (100), BENCH_CONTROLLER_WORKERS (8: the
// controller's --workers and the CLI's parallelism), BENCH_CONTROLLER_SKIP_CLI=1 (the controller only),
// BENCH_CONTROLLER_DEBUG=1 (its heap figures from /metrics), BENCH_CONTROLLER_PROFILE=DIR (a V8 CPU
// profile of the controller process there).
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {withControlPlane} from './bench-kube.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const KE = join(ROOT, 'bin', 'run.js')
const CLUSTERS = Number(process.env.BENCH_CONTROLLER_CLUSTERS ?? 100)
const PARALLEL = Number(process.env.BENCH_CONTROLLER_WORKERS ?? 8)
const GOAL_SECONDS = 30
const GOAL_RSS_MIB = 200
const RUN_DEADLINE_MS = 600_000

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9
const mib = (bytes) => bytes / (1024 * 1024)
const pause = (ms) => new Promise((done) => setTimeout(done, ms))


function keEnv(home, kubeconfig) {
  return {...process.env, KE_HOME: home, KUBECONFIG: kubeconfig, KE_STORE: '', CI: 'true', NO_COLOR: '1'}
}

/** Runs `ke ARGS` to its end; rejects with its stderr when it fails. */
function ke(args, env, wrap = []) {
  return new Promise((done, fail) => {
    const [command, ...rest] = wrap.length > 0 ? [...wrap, process.execPath, KE, ...args] : [process.execPath, KE, ...args]
    const child = spawn(command, rest, {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.once('close', (code) => (code === 0 ? done() : fail(new Error(`ke ${args.join(' ')} failed (${code}): ${stderr}`))))
  })
}

function peakRss(pid) {
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kib) * 1024
}

const names = () => Array.from({length: CLUSTERS}, (_, i) => `b${String(i).padStart(3, '0')}`)

async function runningCount(objects, namespace) {
  const list = await objects.listNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', plural: 'clusters', namespace})
  return list.items.filter((item) => item.status?.phase === 'Running').length
}

async function untilAllRunning(objects, namespace) {
  const deadline = Date.now() + RUN_DEADLINE_MS
  while ((await runningCount(objects, namespace)) < CLUSTERS) {
    if (Date.now() > deadline) throw new Error(`not all ${CLUSTERS} clusters were Running within ${RUN_DEADLINE_MS / 1000} s`)
    await pause(100)
  }
}

/** The controller, started and ready (informer synced) before the clock starts. */
async function measureController(kc, kubeconfig, store, namespace, home) {
  const {CustomObjectsApi} = await import('@kubernetes/client-node')
  const objects = kc.makeApiClient(CustomObjectsApi)
  const child = spawn(process.execPath, [...(process.env.BENCH_CONTROLLER_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CONTROLLER_PROFILE] : []), KE, 'controller', '--store', store, '--workers', String(PARALLEL), '--no-leader-elect', '--probe-address', '127.0.0.1:0', '--log-format', 'json'], {
    env: keEnv(home, kubeconfig),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  try {
    const port = await (async () => {
      const deadline = Date.now() + 60_000
      for (;;) {
        const found = /"port":(\d+)/.exec(stderr)?.[1]
        if (found) return Number(found)
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the controller did not start:\n${stderr}`)
        await pause(50)
      }
    })()
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((res) => res.status === 200, () => false)
      if (ready) break
      await pause(50)
    }
    const start = process.hrtime.bigint()
    let next = 0
    // applied at once: 16 requests in flight, as kubectl apply of one file would send them one by one, only faster
    await Promise.all(
      Array.from({length: 16}, async () => {
        while (next < CLUSTERS) {
          const name = names()[next++]
          await objects.createNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', plural: 'clusters', namespace, body: {apiVersion: 'ke.io/v1alpha1', kind: 'Cluster', metadata: {name}, spec: {driver: {name: 'sample'}}}})
        }
      }),
    )
    await untilAllRunning(objects, namespace)
    const elapsed = seconds(start)
    if (process.env.BENCH_CONTROLLER_DEBUG) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
      console.log(text.split('\n').filter((l) => /^(process_resident|nodejs_heap_size|nodejs_external|nodejs_heap_space_size_used)/.test(l)).join('\n'))
    }
    return {seconds: elapsed, rss: peakRss(child.pid)}
  } finally {
    child.kill('SIGTERM')
    await new Promise((done) => (child.exitCode !== null ? done() : child.once('close', done)))
  }
}

/** `ke create` of the same clusters, PARALLEL processes at a time; each one's peak RSS from GNU time. */
async function measureCli(kubeconfig, store, home) {
  const env = keEnv(home, kubeconfig)
  const hasTime = existsSync('/usr/bin/time')
  let peak = 0
  let next = 0
  const start = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: PARALLEL}, async (_, slot) => {
      const rssFile = join(home, `rss-${slot}`)
      while (next < CLUSTERS) {
        const name = names()[next++]
        await ke(['create', name, '--driver', 'sample', '--store', store, '--quiet'], env, hasTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile] : [])
        if (hasTime) peak = Math.max(peak, Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024)
      }
    }),
  )
  return {seconds: seconds(start), rss: hasTime ? peak : undefined}
}

function printTable(controller, cli) {
  const rows = [
    ['what', `${CLUSTERS} clusters to Running`, 'peak RSS', 'goal'],
    [`ke controller --workers ${PARALLEL} (one process)`, `${controller.seconds.toFixed(1)} s`, `${mib(controller.rss).toFixed(0)} MiB`, `<= ${GOAL_SECONDS} s, <= ${GOAL_RSS_MIB} MiB`],
    [`ke create, ${PARALLEL} processes at a time`, `${cli.seconds.toFixed(1)} s`, cli.rss === undefined ? 'n/a' : `${mib(cli.rss).toFixed(0)} MiB (largest one)`, 'baseline'],
    ['controller / CLI', `${(controller.seconds / cli.seconds).toFixed(2)}x`, '', ''],
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  console.log('')
  console.log(`\`ke controller\` (issue 16): ${CLUSTERS} Cluster objects, sample driver, Kubernetes store, drivers' own memory not counted`)
  console.log(line(rows[0]))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const row of rows.slice(1)) console.log(line(row))
  const met = controller.seconds <= GOAL_SECONDS && mib(controller.rss) <= GOAL_RSS_MIB
  console.log(met ? 'goals met' : `goal missed: ${controller.seconds.toFixed(1)} s, ${mib(controller.rss).toFixed(0)} MiB`)
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'b', 'direct', 'oclif.cjs'))) throw new Error('run `npm run build` first')
  await withControlPlane('ke controller row', async ({plane, kc, work}) => {
    const {CoreV1Api} = await import('@kubernetes/client-node')
    const core = kc.makeApiClient(CoreV1Api)
    const context = kc.getCurrentContext()
    const stores = {}
    for (const who of ['controller', 'cli']) {
      const namespace = `bench-${who}`
      await core.createNamespace({body: {metadata: {name: namespace}}})
      stores[who] = {namespace, store: `kubernetes:${context}/${namespace}`, home: mkdtempSync(join(work, `${who}-`))}
    }
    await ke(['store', 'init', '--store', stores.controller.store], keEnv(stores.controller.home, plane.info.kubeconfig))
    // the CLI first: the controller then runs on a control plane that has already seen 100 clusters, as it would
    const cli = process.env.BENCH_CONTROLLER_SKIP_CLI ? {seconds: Number.NaN} : await measureCli(plane.info.kubeconfig, stores.cli.store, stores.cli.home)
    const controller = await measureController(kc, plane.info.kubeconfig, stores.controller.store, stores.controller.namespace, stores.controller.home)
    printTable(controller, cli)
  })
}

await main()

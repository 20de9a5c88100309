#!/usr/bin/env node
// Issue 15's benchmark rows: the Kubernetes store beside the file store, measured in the same run
// (interleaved, medians of BENCH_RUNS), printed as a table of ratios. Run at the end of scripts/bench.js
// or alone after `npm run build`. It needs a real control plane: started as scripts/test.js starts the
// tests' one (test/support/kubernetes-supervisor.ts, stopped when this script ends); without the
// binaries the rows are skipped with the reason.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {benchRecord} from './bench-records.js'
import {withControlPlane} from './bench-kube.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const KE = join(ROOT, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const CLUSTERS = Number(process.env.BENCH_STORE_CLUSTERS ?? 1000)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6

function timeCommand(args, env) {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, [KE, ...args], {env: {...process.env, CI: 'true', NO_COLOR: '1', ...env}, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 << 20})
  const elapsed = ms(start)
  if (result.status !== 0) throw new Error(`ke ${args.join(' ')} failed: ${result.stderr}`)
  return elapsed
}


/** The same records in both stores: files in `home`, Cluster objects + Secrets in `namespace` (16 writes at a time). */
async function fillStores(kc, namespace, home) {
  const {FileStore} = await import(join(ROOT, 'dist', 'store', 'file', 'file-store.js'))
  const {KubernetesStore} = await import(join(ROOT, 'dist', 'store', 'kubernetes', 'kubernetes-store.js'))
  const files = new FileStore(home)
  const records = Array.from({length: CLUSTERS}, (_, i) => benchRecord(`c-${String(i).padStart(4, '0')}`, i))
  for (const record of records) await files.put(record)
  let next = 0
  await Promise.all(
    Array.from({length: 16}, async () => {
      const store = await KubernetesStore.open({kc, namespace, label: `kubernetes/${namespace}`}, {logDir: join(home, 'kube-logs')})
      while (next < records.length) await store.put(records[next++])
    }),
  )
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'store', 'kubernetes', 'kubernetes-store.js'))) throw new Error('run `npm run build` first')
  await withControlPlane('Kubernetes store rows', async ({plane, kc, work}) => {
    const {CoreV1Api} = await import('@kubernetes/client-node')
    const core = kc.makeApiClient(CoreV1Api)
    for (const namespace of ['ke-bench-ls', 'ke-bench-create', 'ke-bench-empty']) await core.createNamespace({body: {metadata: {name: namespace}}})
    const kubeEnv = (namespace) => ({KUBECONFIG: plane.info.kubeconfig, KE_STORE: `kubernetes/${namespace}`})
    const homes = Object.fromEntries(['ls-file', 'ls-kube', 'empty-file', 'empty-kube', 'create-file', 'create-kube'].map((name) => [name, join(work, name)]))
    for (const home of Object.values(homes)) mkdirSync(home)
    timeCommand(['store', 'init'], {KE_HOME: homes['ls-kube'], ...kubeEnv('ke-bench-ls')})

    const filling = process.hrtime.bigint()
    await fillStores(kc, 'ke-bench-ls', homes['ls-file'])
    console.error(`(${CLUSTERS} records written to both stores in ${(ms(filling) / 1000).toFixed(1)} s)`)
    // warm both as an earlier run would (file cache, the ls index; the API server's watch cache)
    timeCommand(['ls', '--json'], {KE_HOME: homes['ls-file'], KE_STORE: 'file'})
    timeCommand(['ls', '--json'], {KE_HOME: homes['ls-kube'], ...kubeEnv('ke-bench-ls')})

    const createRm = (env, i) =>
      timeCommand(['create', '--driver', 'sample', `bench-${i}`], env) + timeCommand(['rm', '-y', `bench-${i}`], env)
    // interleaved, so that load on the machine hits both stores alike
    const series = {
      // what the store costs before any record: loading the Kubernetes client, one list call
      emptyFile: () => timeCommand(['ls', '--json'], {KE_HOME: homes['empty-file'], KE_STORE: 'file'}),
      emptyKube: () => timeCommand(['ls', '--json'], {KE_HOME: homes['empty-kube'], ...kubeEnv('ke-bench-empty')}),
      lsFile: () => timeCommand(['ls', '--json'], {KE_HOME: homes['ls-file'], KE_STORE: 'file'}),
      lsKube: () => timeCommand(['ls', '--json'], {KE_HOME: homes['ls-kube'], ...kubeEnv('ke-bench-ls')}),
      createFile: (i) => createRm({KE_HOME: homes['create-file'], KE_STORE: 'file'}, i),
      createKube: (i) => createRm({KE_HOME: homes['create-kube'], ...kubeEnv('ke-bench-create')}, i),
    }
    const times = Object.fromEntries(Object.keys(series).map((key) => [key, []]))
    for (let i = 0; i < RUNS; i++) for (const [key, fn] of Object.entries(series)) times[key].push(fn(i))
    const m = Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]))
    const rows = [
      ['ke ls --json, no clusters', m.emptyKube, m.emptyFile],
      [`ke ls --json, ${CLUSTERS.toLocaleString('en')} clusters of ~20 KiB`, m.lsKube, m.lsFile],
      ['ke create + ke rm, sample driver', m.createKube, m.createFile],
    ]
    console.log(`\nke on the Kubernetes store (issue 15): median of ${RUNS} runs, baseline the file store in the same run, API server on 127.0.0.1\n`)
    console.log('| measure | Kubernetes store | file store | ratio |')
    console.log('|---|---|---|---|')
    for (const [what, kube, file] of rows) console.log(`| ${what} | ${kube.toFixed(1)} ms | ${file.toFixed(1)} ms | ${(kube / file).toFixed(2)}x |`)
  })
}

await main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

// Issue 16, running it: `ke controller --workers 4 --probe-address 127.0.0.1:0 --log-format json` (a
// subprocess, real API server, the sample driver) at work on 12 Clusters applied at once, read as the
// kubelet and Prometheus read it: /healthz, /readyz, /metrics (the running-drivers gauge, sampled all
// along, never above 4, as its driver processes; the reconciles and operations counted), and a log of
// one JSON object a line. (test/e2e/controller/many-clusters.test.ts has the 50-cluster run.)
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../support/kubernetes.js'
import {waitFor} from '../support/ke.js'
import {controllerEnv, type ControllerEnv} from './controller/support.js'
import {cloudClusters, sample, sharedCloud, startReplica, type Replica} from './controller-support.js'

const CLUSTERS = 12
const WORKERS = 4

/** Processes whose parent is `pid` (the driver processes a controller started). */
function childrenOf(pid: number): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // ppid is the 2nd field after the command name, which may hold spaces and parentheses
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) count += 1
    } catch {
      // gone while we looked
    }
  }
  return count
}

describe('ke controller › probes, metrics and logs of a working controller', needsKubernetes, () => {
  let env: ControllerEnv
  let cloud: {dir: string; dispose(): void}
  let controller: Replica | undefined

  before(async () => {
    env = await controllerEnv('ke-ctl-probes')
    cloud = sharedCloud()
  })
  after(async () => {
    await controller?.stop()
    await env?.dispose()
    cloud?.dispose()
  })

  it('answers /healthz /readyz /metrics while it makes 12 clusters Running, the running-drivers gauge never above --workers 4, its log JSON lines', async () => {
    // Given a controller with 4 workers, ready (its informer synced)
    controller = startReplica(env, cloud.dir, ['--workers', String(WORKERS)])
    await waitFor(async () => (await controller!.get('/readyz')).status === 200, 'the controller to be ready', 30_000)
    assert.deepEqual(await controller.get('/healthz'), {status: 200, text: 'ok\n'})
    assert.equal((await controller.get('/nothing-here')).status, 404)

    // When 12 Clusters are applied at once (each Create takes a second)
    const names = Array.from({length: CLUSTERS}, (_, i) => `c${String(i).padStart(2, '0')}`)
    await Promise.all(names.map((name) => env.apply(name, {driver: {name: 'sample'}, options: {'create-seconds': 1}})))

    // Then, sampled all along, never more than 4 drivers run at once (and more than one did)
    let maxGauge = 0
    let maxProcesses = 0
    const running = new Set<string>()
    await waitFor(
      async () => {
        maxProcesses = Math.max(maxProcesses, childrenOf(controller!.pid))
        maxGauge = Math.max(maxGauge, (await controller!.metric('ke_controller_running_drivers')) ?? 0)
        const list = (await env.objects.listNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', plural: 'clusters', namespace: env.namespace})) as {
          items: Array<{metadata: {name: string}; status?: {phase?: string}}>
        }
        for (const item of list.items) if (item.status?.phase === 'Running') running.add(item.metadata.name)
        return running.size === CLUSTERS
      },
      `all ${CLUSTERS} Running`,
      180_000,
    )
    assert.ok(maxGauge <= WORKERS, `the running-drivers gauge reached ${maxGauge}`)
    assert.ok(maxProcesses <= WORKERS, `${maxProcesses} driver processes ran at once`)
    assert.ok(maxGauge >= 2, `the workers ran drivers side by side (gauge peaked at ${maxGauge})`)
    assert.ok(maxProcesses >= 2, `driver processes were seen side by side (at most ${maxProcesses})`)

    // And each cluster was made once
    assert.equal(cloudClusters(cloud.dir).length, CLUSTERS)

    // And /metrics counts the work in the Prometheus text format (a reconcile is counted once it has
    // returned, a moment after the status it wrote)
    const metrics = await waitFor(async () => {
      const answer = await controller!.get('/metrics')
      return (sample(answer.text, 'ke_controller_operation_duration_seconds_count{operation="create"}') ?? 0) >= CLUSTERS ? answer : undefined
    }, 'the creates to be counted')
    assert.equal(metrics.status, 200)
    assert.ok((sample(metrics.text, 'ke_controller_reconcile_total{result="success"}') ?? 0) >= CLUSTERS, metrics.text.split('\n').filter((l) => l.startsWith('ke_controller_reconcile_total')).join('\n'))
    assert.equal(sample(metrics.text, 'ke_controller_leader'), 1)
    await waitFor(async () => sample((await controller!.get('/metrics')).text, 'ke_controller_running_drivers') === 0, 'the drivers to be stopped')
    assert.ok((sample(metrics.text, 'process_resident_memory_bytes') ?? 0) > 0)

    // And it stops on SIGTERM with exit 0
    assert.equal((await controller.stop()).code, 0)

    // And its log (--log-format json) was one JSON object a line, each with time, level and msg
    const lines = controller.lines()
    assert.ok(lines.length >= CLUSTERS, `${lines.length} log lines`)
    for (const line of lines) {
      const entry = JSON.parse(line) as {time: string; level: string; msg: string}
      assert.ok(!Number.isNaN(Date.parse(entry.time)) && ['info', 'warn', 'error'].includes(entry.level) && entry.msg, line)
    }
  })
})

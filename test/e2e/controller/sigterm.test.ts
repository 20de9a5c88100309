// Issue 16: the controller and the CLI share each cluster's Lease, and a SIGTERM during a slow Create
// leaves the object resumable: exit 0, and the next controller finishes it with one set of resources.
import assert from 'node:assert/strict'
import {readdirSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleCloud, sampleRequests} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

function cloudClusters(home: string): string[] {
  const dir = join(sampleCloud(home), 'clusters')
  return existsSync(dir) ? readdirSync(dir) : []
}

describe('ke controller: busy clusters and SIGTERM', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-term')))
  after(() => env?.dispose())

  it('goes on with other clusters during a slow Create, answers busy to `ke rm` of it, exits 0 on SIGTERM, and a restarted controller finishes the create with exactly one cluster in the cloud', async () => {
    // Given a controller creating a slow cluster
    const first = env.startController(['--shutdown-grace', '60s'])
    await env.apply('slow', {driver: {name: 'sample'}, options: {'node-count': 1, 'create-seconds': 10}})
    await env.waitForCluster('slow', 'Creating', (o) => o.status?.phase === 'Creating')

    // When another cluster is applied meanwhile, it does not wait for the slow one (two workers)
    await env.apply('quick', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await env.waitForCluster('quick', 'Running', (o) => o.status?.phase === 'Running')
    assert.equal((await env.get('slow')).status.phase, 'Creating')

    // When the CLI removes it meanwhile, it is told the cluster is busy
    const rm = await env.ke(['rm', 'slow', '--yes', '--store', env.store])
    assert.equal(rm.code, 4, rm.stderr)
    assert.match(rm.stderr, /cluster slow is busy \(held by [^)]*\/ke controller \(create slow\)\)/)

    // When the controller gets SIGTERM during the Create
    const exit = await first.stop()

    // Then it exits 0 once the call under way returned, leaving the object resumable with its info
    assert.equal(exit.code, 0, first.lines().join('\n'))
    const left = await env.get('slow')
    assert.equal(left.status.phase, 'Error')
    assert.match(left.status.lastError, /^interrupted/)
    assert.ok(first.lines().some((line) => line.includes('stopping: no new work is taken')))
    assert.equal(cloudClusters(env.home).length, 2)

    // When a controller starts again
    const second = env.startController()

    // Then it finishes the create from the stored info: Running, and still one cluster of it in the cloud
    const running = await env.waitForCluster('slow', 'Running', (o) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True')
    assert.equal(cloudClusters(env.home).length, 2, 'slow and quick, once each')
    const creates = sampleRequests(env.home).filter((r) => r.method === 'Create' && r.request.options.stringOptions.name === 'slow')
    assert.equal(creates.length, 2)
    assert.ok(creates[1].request.info, 'the retry carried the stored info')
    assert.match(running.status.endpoint, /sample\.invalid/)
    assert.equal((await second.stop()).code, 0)
  })

  it('stops the driver once --shutdown-grace is over, exits 0, and records the create as interrupted', async () => {
    // Given a controller with a short grace period, creating a cluster that takes far longer
    const controller = env.startController(['--shutdown-grace', '1s'])
    await env.apply('slower', {driver: {name: 'sample'}, options: {'node-count': 1, 'create-seconds': 120}})
    await env.waitForCluster('slower', 'Creating', (o) => o.status?.phase === 'Creating')

    // When it gets SIGTERM
    const exit = await controller.stop()

    // Then it exits 0 without waiting for the Create, and the object says the create was interrupted
    assert.equal(exit.code, 0, controller.lines().join('\n'))
    assert.ok(controller.lines().some((line) => line.includes('grace period over')))
    const left = await env.get('slower')
    assert.equal(left.status.phase, 'Error')
    assert.equal(condition(left, 'Ready')?.status, 'False')
  })
})

// Issue 16: a Create that fails after making resources is retried (with back-off) from the stored
// ClusterInfo, like `ke create NAME` on an Error cluster: never a second set of cloud resources.
import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleCloud, sampleRequests, waitFor} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

function cloudClusters(home: string): string[] {
  const dir = join(sampleCloud(home), 'clusters')
  return existsSync(dir) ? readdirSync(dir) : []
}

describe('ke controller: a failing Create', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-retry')))
  after(() => env?.dispose())

  it('says CreateFailed, retries with the stored info (one cluster in the cloud however often), and finishes once the spec allows', async () => {
    // Given a controller, and a Cluster whose driver makes the resources and then fails (the sample's lever)
    const controller = env.startController()
    await env.apply('flaky', {driver: {name: 'sample'}, options: {'node-count': 1, 'fail-after-create': true}})

    // Then it is Error with the driver's reason, and a Warning CreateFailed Event
    const failed = await env.waitForCluster('flaky', 'Error', (o) => o.status?.phase === 'Error')
    assert.equal(condition(failed, 'Ready')?.status, 'False')
    assert.match(failed.status.lastError, /simulated failure after creating c-[0-9a-f]+/)
    await waitFor(async () => (await env.events('flaky')).some((e) => e.type === 'Warning' && e.reason === 'CreateFailed'), 'a CreateFailed Event')

    // And it is retried with back-off, each retry carrying the stored info: still one cluster in the cloud
    const creates = () => sampleRequests(env.home).filter((r) => r.method === 'Create')
    await waitFor(() => creates().length >= 3, 'two retries', 60_000)
    for (const retry of creates().slice(1)) assert.ok(retry.request.info?.metadata?.state, 'a retry sends the stored state')
    assert.equal(cloudClusters(env.home).length, 1)

    // When the spec no longer asks for the failure
    await env.patch('flaky', {spec: {options: {'fail-after-create': false}}})

    // Then the next Create finishes it, on the same resources
    const running = await env.waitForCluster('flaky', 'Running', (o) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True')
    assert.equal(running.status.observedGeneration, running.metadata.generation)
    assert.equal(cloudClusters(env.home).length, 1)
    assert.equal((await controller.stop()).code, 0)
  })
})

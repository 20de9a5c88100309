// Issue 16: a Remove that keeps failing keeps the finalizer, says why in a condition and an Event,
// is retried with back-off (no hot loop), and the skip-remove annotation ends it.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleRequests, waitFor} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

describe('ke controller: a failing Remove', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-rmfail')))
  after(() => env?.dispose())

  it('keeps the finalizer with Ready=False RemoveFailed, backs off, and the skip-remove annotation drops it with a Warning', async () => {
    // Given a Running cluster, under a controller whose driver refuses Remove (the sample driver's lever)
    const controller = env.startController([], {KE_SAMPLE_FAIL_REMOVE: '1'})
    await env.apply('db', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await env.waitForCluster('db', 'Running', (o) => o.status?.phase === 'Running')

    // When the object is deleted
    await env.remove('db')

    // Then it stays, with the finalizer and the driver's reason in the Ready condition
    const failed = await env.waitForCluster('db', 'RemoveFailed', (o) => condition(o, 'Ready')?.reason === 'RemoveFailed')
    assert.deepEqual(failed.metadata.finalizers, ['ke.io/cluster'])
    assert.ok(failed.metadata.deletionTimestamp)
    assert.match(condition(failed, 'Ready')!.message, /simulated failure removing c-[0-9a-f]+/)
    const warnings = (await env.events('db')).filter((e) => e.type === 'Warning' && e.reason === 'RemoveFailed')
    assert.ok(warnings.length >= 1)
    assert.match(warnings[0].message, /ke\.io\/skip-remove/)

    // And Remove is retried with back-off: over the window the attempts span (the driver's own request
    // log times them), their count stays logarithmic; a hot loop would make hundreds
    const removes = () => sampleRequests(env.home).filter((r) => r.method === 'Remove')
    await waitFor(() => removes().length >= 4, 'four Remove attempts', 60_000)
    const times = removes().map((r) => Date.parse((r as unknown as {at: string}).at))
    const windowSeconds = (times[times.length - 1] - times[0]) / 1000
    assert.ok(times.length <= Math.log2(windowSeconds + 1) + 2, `${times.length} attempts in ${windowSeconds} s: no back-off`)
    // and the controller said each retry waits twice as long as the one before
    const waits = controller.lines().flatMap((line) => /reconcile failed .*action=remove .*retrySeconds=(\d+)/.exec(line)?.slice(1) ?? []).map(Number)
    assert.deepEqual(waits.slice(0, 3), [1, 2, 4], controller.lines().join('\n'))

    // When an operator sets the skip-remove annotation
    await env.patch('db', {metadata: {annotations: {'ke.io/skip-remove': 'true'}}})

    // Then the object goes without another Remove, with a Warning that cloud resources may remain
    const before = removes().length
    await waitFor(async () => (await env.get('db')) === undefined, 'db to be gone', 60_000)
    assert.ok(removes().length <= before + 1, 'at most the attempt already under way')
    const skipped = (await env.events('db')).find((e) => e.reason === 'RemoveSkipped')
    assert.equal(skipped?.type, 'Warning')
    assert.match(skipped!.message, /cloud resources of db may remain/)
    assert.equal((await controller.stop()).code, 0)
  })
})

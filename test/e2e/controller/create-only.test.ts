// Issue 16: a spec change to a create-only option (the sample driver's region: its update options do
// not list it) cannot be applied by Update. The controller applies the rest and says so once: a Warning
// Event and Ready's reason, in the CLI's words; the running cluster keeps its region.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleRequests, waitFor} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

describe('ke controller: a create-only option changed', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-conly')))
  after(() => env?.dispose())

  it('applies the update options, keeps the created region, and says so once (Event + Ready reason)', async () => {
    // Given a Running cluster made in sample-west-2, by a controller with one worker (reconciles in watch order)
    const controller = env.startController(['--workers', '1'])
    await env.apply('web', {driver: {name: 'sample'}, options: {'node-count': 2, region: 'sample-west-2'}})
    await env.waitForCluster('web', 'Running', (o) => o.status?.phase === 'Running' && o.status.observedGeneration === o.metadata.generation)

    // When the spec changes the region (create-only) and the node count (updatable)
    await env.patch('web', {spec: {options: {'node-count': 4, region: 'sample-east-9'}}})

    // Then the node count is applied, observedGeneration follows, and the cluster stays where it was made
    const updated = await env.waitForCluster('web', 'updated', (o) => o.status?.observedGeneration === 2 && o.status.nodeCount === 4 && condition(o, 'Ready')?.reason === 'CreateOnlyOptionChanged')
    assert.equal(updated.status.phase, 'Running')
    assert.match(updated.status.endpoint, /\.sample-west-2\.sample\.invalid:6443$/)
    const updates = sampleRequests(env.home).filter((r) => r.method === 'Update')
    assert.equal(updates.length, 1)
    assert.equal(updates[0].request.options.intOptions['node-count'], 4)
    assert.equal(updates[0].request.options.stringOptions.region, 'sample-west-2', 'the created region goes along as context, not the new one')

    // And Ready (still True) and a Warning Event say what was not applied, in the CLI's words
    const ready = condition(updated, 'Ready')!
    assert.equal(ready.status, 'True')
    assert.match(ready.message, /^spec\.options region is a create-only option of driver sample: update cannot change it; the running cluster keeps region="sample-west-2" \(driver sample updates only kubernetes-version, labels, node-count;/)
    const warnings = async () => (await env.events('web')).filter((e) => e.reason === 'CreateOnlyOptionChanged')
    await waitFor(async () => (await warnings()).length > 0, 'a CreateOnlyOptionChanged Event')
    const [event] = await warnings()
    assert.equal(event.type, 'Warning')
    assert.equal(event.message, ready.message)

    // When the object changes without a spec change, and another Cluster is reconciled after it
    await env.patch('web', {metadata: {labels: {team: 'blue'}}})
    await env.apply('after', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await env.waitForCluster('after', 'Running', (o) => o.status?.phase === 'Running')

    // Then web was not updated again, nor warned about again
    assert.equal(sampleRequests(env.home).filter((r) => r.method === 'Update').length, 1)
    assert.equal((await warnings()).length, 1)
    assert.equal(condition(await env.get('web'), 'Ready')?.reason, 'CreateOnlyOptionChanged')

    // When the spec goes back to the created region and changes the node count again
    await env.patch('web', {spec: {options: {'node-count': 3, region: 'sample-west-2'}}})

    // Then the update is applied with nothing to warn about
    const back = await env.waitForCluster('web', 'updated again', (o) => o.status?.observedGeneration === 3 && o.status.nodeCount === 3 && o.status.phase === 'Running')
    assert.equal(condition(back, 'Ready')?.reason, 'Running')
    assert.equal((await warnings()).length, 1)
    assert.equal((await controller.stop()).code, 0)
  })
})

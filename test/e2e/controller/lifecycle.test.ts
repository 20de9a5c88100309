// Issue 16: a Cluster object applied, changed and deleted, reconciled by `ke controller` (a subprocess)
// through the sample driver, against the real API server; the CLI sees the cluster it made.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleRequests, waitFor} from '../../support/ke.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

describe('ke controller: apply → Running → update → delete', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-life')))
  after(() => env?.dispose())

  it('creates a cluster from a Cluster object, updates it on a spec change, removes it on delete; ke ls/inspect/kubeconfig work on it', async () => {
    // Given a controller watching the namespace
    const controller = env.startController(['--workers', '2'])

    // When a Cluster is applied
    await env.apply('web', {driver: {name: 'sample'}, options: {'node-count': 2, region: 'sample-west-2'}})

    // Then it becomes Running with both conditions True, its finalizer and the kubeconfig Secret
    const running = await env.waitForCluster('web', 'Running', (o) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True')
    assert.equal(condition(running, 'Provisioned')?.status, 'True')
    assert.deepEqual(running.metadata.finalizers, ['ke.io/cluster'])
    assert.equal(running.status.observedGeneration, running.metadata.generation)
    assert.equal(running.status.nodeCount, 2)
    assert.match(running.status.endpoint, /^https:\/\/c-[0-9a-f]+\.sample-west-2\.sample\.invalid:6443$/)
    const kubeconfigSecret = await env.core.readNamespacedSecret({name: 'web-kubeconfig', namespace: env.namespace})
    assert.match(Buffer.from(kubeconfigSecret.data!.value, 'base64').toString('utf8'), /sample\.invalid:6443/)
    // and the spec is the user's: never rewritten by the controller
    assert.deepEqual(running.spec, {driver: {name: 'sample'}, options: {'node-count': 2, region: 'sample-west-2'}})
    const creates = sampleRequests(env.home).filter((r) => r.method === 'Create')
    assert.equal(creates.length, 1)
    assert.equal(creates[0].request.options.intOptions['node-count'], 2)
    assert.equal(creates[0].request.options.stringOptions.name, 'web')
    // and Events tell what happened
    // (Created is told after the status is written: wait for it)
    const reasons = await waitFor(async () => {
      const seen = (await env.events('web')).map((e) => e.reason)
      return seen.includes('Created') ? seen : undefined
    }, 'a Created Event')
    assert.ok(reasons.includes('Creating'), `Creating in ${reasons}`)

    // And the CLI on the same namespace sees it
    const ls = await env.ke(['ls', '--json', '--store', env.store])
    assert.equal(ls.code, 0, ls.stderr)
    assert.deepEqual(JSON.parse(ls.stdout).map((row: {name: string; status: string}) => [row.name, row.status]), [['web', 'Running']])
    const kubeconfig = await env.ke(['kubeconfig', 'web', '--store', env.store])
    assert.equal(kubeconfig.code, 0, kubeconfig.stderr)
    assert.match(kubeconfig.stdout, /server: https:\/\/c-[0-9a-f]+\.sample-west-2\.sample\.invalid:6443/)
    const inspect = await env.ke(['inspect', 'web', '--json', '--store', env.store])
    assert.equal(inspect.code, 0, inspect.stderr)

    // When spec.options.node-count changes
    await env.patch('web', {spec: {options: {'node-count': 4}}})

    // Then the driver receives Update with it, and observedGeneration follows the generation
    const updated = await env.waitForCluster('web', 'updated to 4 nodes', (o) => o.status?.phase === 'Running' && o.status.nodeCount === 4 && o.status.observedGeneration === o.metadata.generation)
    assert.equal(updated.metadata.generation, 2)
    const updates = sampleRequests(env.home).filter((r) => r.method === 'Update')
    assert.equal(updates.length, 1)
    assert.equal(updates[0].request.options.intOptions['node-count'], 4)
    assert.equal(sampleRequests(env.home).filter((r) => r.method === 'Create').length, 1, 'no second Create')

    // When the object is deleted
    await env.remove('web')

    // Then the driver's Remove runs, and the object goes
    await waitGone(env, 'web')
    assert.equal(sampleRequests(env.home).filter((r) => r.method === 'Remove').length, 1)
    const ls2 = await env.ke(['ls', '--json', '--store', env.store])
    assert.deepEqual(JSON.parse(ls2.stdout), [])

    // And the controller stops on SIGTERM with exit 0
    assert.equal((await controller.stop()).code, 0)
  })
})

async function waitGone(env: ControllerEnv, name: string): Promise<void> {
  await waitFor(async () => (await env.get(name)) === undefined, `${name} to be gone`, 60_000)
}

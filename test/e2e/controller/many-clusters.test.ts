// Issue 16: 50 Cluster objects applied at once, `--workers 4`: all become Running, never more than 4
// drivers run at once, and several do (the workers share the load).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleRequests, waitFor} from '../../support/ke.js'
import {controllerEnv, type ControllerEnv} from './support.js'

const COUNT = 50

describe('ke controller: many clusters at once', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-many')))
  after(() => env?.dispose())

  it(`creates ${COUNT} Clusters applied at once with --workers 4, never running more than 4 drivers`, async () => {
    // Given a controller with 4 workers
    const controller = env.startController(['--workers', '4'])

    // When 50 Clusters are applied at once
    const names = Array.from({length: COUNT}, (_, i) => `c${String(i).padStart(2, '0')}`)
    await Promise.all(names.map((name) => env.apply(name, {driver: {name: 'sample'}, options: {'node-count': 1}})))

    // Then all become Running
    await waitFor(
      async () => {
        const list = (await env.objects.listNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace: env.namespace, plural: 'clusters'})) as {items: any[]}
        return list.items.filter((o) => o.status?.phase === 'Running').length === COUNT
      },
      `${COUNT} clusters Running`,
      300_000,
    )
    // each created once
    const creates = sampleRequests(env.home).filter((r) => r.method === 'Create').map((r) => r.request.options.stringOptions.name)
    assert.deepEqual([...creates].sort(), names)

    // And the controller never ran more than 4 drivers at once, and ran several at once
    const counts = controller.lines().flatMap((line) => {
      const match = /drivers running drivers=(\d+)/.exec(line)
      return match ? [Number(match[1])] : []
    })
    assert.ok(counts.length >= COUNT, `${counts.length} driver starts and stops logged`)
    assert.ok(Math.max(...counts) <= 4, `at most 4 drivers at once, saw ${Math.max(...counts)}`)
    assert.ok(Math.max(...counts) >= 2, 'the workers ran drivers side by side')
    assert.equal((await controller.stop()).code, 0)
  })
})

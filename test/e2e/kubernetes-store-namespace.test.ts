// A Kubernetes store whose namespace does not exist, on the run's REAL API server: create and ls say
// so in one line with the kubectl command that makes it (a list there would read as "no clusters");
// `ke store init` creates it.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {makeHome, runKe} from '../support/ke.js'
import {needsKubernetes, uniqueName} from '../support/kubernetes.js'
import {cliStore} from '../support/kubernetes-store-cli.js'

describe('a Kubernetes store in a namespace that does not exist', needsKubernetes, () => {
  const disposals: Array<() => void> = []
  after(() => disposals.forEach((dispose) => dispose()))

  it('create and ls say the namespace does not exist and how to make it; store init creates it', async () => {
    // Given an API server with the CRD, and a store in a namespace nobody made
    const {home, dispose} = makeHome('ke-nons-')
    disposals.push(dispose)
    const k = await cliStore(home)
    const namespace = uniqueName('ke-nons')
    const store = `kubernetes:ke-test/${namespace}`
    const options = k.options(home, {KE_STORE: store})
    const said = `Error: Kubernetes store ${store}: namespace ${namespace} does not exist (run \`kubectl create namespace ${namespace}\`, or \`ke store init --store ${store}\`, which creates it)\n`

    // When create and ls run there, Then each says so in one line and exits 2, and create made nothing
    for (const args of [['create', '--driver', 'sample', 'web'], ['ls']]) {
      const result = await runKe(args, options)
      assert.deepEqual([result.code, result.stderr], [2, said], `ke ${args.join(' ')}`)
    }
    await assert.rejects(k.core.readNamespace({name: namespace}))

    // When store init runs there, Then it creates the namespace and says so, and the store works
    const init = await runKe(['store', 'init'], options)
    assert.equal(init.code, 0, init.stderr)
    assert.match(init.stdout, new RegExp(`^created namespace ${namespace}$`, 'm'))
    assert.equal((await k.core.readNamespace({name: namespace})).metadata?.name, namespace)
    const created = await runKe(['create', '--driver', 'sample', 'web'], options)
    assert.equal(created.code, 0, created.stderr)
    assert.equal((await k.objects.listNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters'}) as {items: unknown[]}).items.length, 1)
  })
})

// `ke controller` where the Cluster resource is missing (newcomer trial): at start it says, in the CLI's
// one line, to run `ke store init` and exits non-zero; when the CRD is deleted while it runs, the broken
// watch is logged as that line (not the raw HTTP answer) and retried. Deletes the CRD: a control plane of
// this file alone (privateKubernetes), never the shared one.
import assert from 'node:assert/strict'
import {ApiextensionsV1Api} from '@kubernetes/client-node'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes, privateKubernetes} from '../../support/kubernetes.js'
import {runKe, waitFor} from '../../support/ke.js'
import {controllerEnv, type ControllerEnv} from './support.js'

const CRD = 'clusters.ke.io'

describe('ke controller › the Cluster resource is missing', needsKubernetes, () => {
  let env: ControllerEnv
  let crds: ApiextensionsV1Api

  const deleteCrd = async () => {
    await crds.deleteCustomResourceDefinition({name: CRD})
    await waitFor(async () => !(await crds.listCustomResourceDefinition()).items.some((crd) => crd.metadata?.name === CRD), 'the CRD to be gone', 60_000)
  }

  before(async () => {
    const kube = await privateKubernetes()
    env = await controllerEnv('ke-ctl-nocrd', kube)
    crds = kube.admin().makeApiClient(ApiextensionsV1Api)
  })
  after(async () => {
    // put it back, so the namespace's clean-up can list
    await env?.ke(['store', 'init', '--store', env.store])
    await env?.dispose()
  })

  it('exits at start with the one line that says to run ke store init', async () => {
    // Given no clusters.ke.io CRD
    await deleteCrd()
    // When the controller is started
    const result = await runKe(['controller', '--store', env.store, '--no-leader-elect'], env.options)
    // Then one line, the CLI's, and a non-zero exit
    assert.notEqual(result.code, 0, result.stderr)
    assert.match(result.stderr, /has no clusters\.ke\.io resource: run `ke store init --store kubernetes:ke-test\/ke-ctl-nocrd-[0-9a-f]+` once/)
    assert.doesNotMatch(result.stderr, /controller started|HTTP-Code|\n\s+at /)
  })

  it('logs that line when the CRD is deleted while it runs, and goes on retrying', async () => {
    // Given a running controller
    assert.equal((await env.ke(['store', 'init', '--store', env.store])).code, 0)
    const controller = env.startController()
    await waitFor(() => controller.lines().some((line) => line.includes('controller started')), 'the controller to start', 30_000)
    // When the CRD is deleted
    await deleteCrd()
    // Then the broken watch is logged as the CLI's line, not the raw HTTP answer
    const line = await waitFor(() => controller.lines().find((l) => l.includes('watch of clusters broke')), 'the broken watch to be logged', 60_000)
    assert.match(line, /run `ke store init --store kubernetes:ke-test\//)
    assert.doesNotMatch(controller.lines().join('\n'), /HTTP-Code|page not found/)
    // And it keeps running
    assert.equal(controller.child.exitCode, null)
    assert.equal((await controller.stop()).code, 0)
  })
})

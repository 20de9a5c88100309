// Issue 16: the RBAC `ke controller manifests` grants is enough. The controller runs as the manifests'
// ServiceAccount (a real token from the TokenRequest API, the real RBAC authorizer), watching one
// namespace with its leader Lease in its own, and takes a Cluster through create and delete.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {KubernetesObjectApi, PatchStrategy, type KubernetesObject} from '@kubernetes/client-node'
import {parseAllDocuments} from 'yaml'
import {kubeConfigAs, needsKubernetes, uniqueName} from '../support/kubernetes.js'
import {runKe, waitFor} from '../support/ke.js'
import {controllerEnv, type ControllerEnv} from './controller/support.js'
import {cloudClusters, sharedCloud, startReplica, type Replica} from './controller-support.js'

describe('ke controller › as the ServiceAccount of its manifests', needsKubernetes, () => {
  let env: ControllerEnv
  let cloud: {dir: string; dispose(): void}
  let own: string
  let controller: Replica | undefined

  before(async () => {
    env = await controllerEnv('ke-ctl-rbac')
    cloud = sharedCloud()
    own = uniqueName('ke-system')
    await env.core.createNamespace({body: {metadata: {name: own}}})
  })
  after(async () => {
    await controller?.stop()
    await env?.dispose()
    await env?.core.deleteNamespace({name: own}).catch(() => undefined)
    cloud?.dispose()
  })

  it('creates and removes a cluster with no more rights than the manifests grant', async () => {
    // Given the ServiceAccount and RBAC of `ke controller manifests --watch-namespace NS`, applied for real
    const printed = await runKe(['controller', 'manifests', '--namespace', own, '--watch-namespace', env.namespace], env.options)
    assert.equal(printed.code, 0, printed.stderr)
    const objects = parseAllDocuments(printed.stdout).map((doc) => doc.toJS() as KubernetesObject)
    const api = KubernetesObjectApi.makeApiClient(env.kube.admin())
    for (const object of objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind!))) {
      await api.patch(object, undefined, undefined, 'ke-test', true, PatchStrategy.ServerSideApply)
    }
    // and a kubeconfig with that ServiceAccount's token, as the pod would have
    const {status} = await env.core.createNamespacedServiceAccountToken({name: 'ke-controller', namespace: own, body: {spec: {audiences: [], expirationSeconds: 3600}}})
    const kubeconfig = join(env.home, 'service-account.kubeconfig')
    writeFileSync(kubeconfig, kubeConfigAs(env.kube, {token: status!.token}).exportConfig(), {mode: 0o600})

    // When the controller runs with it (the Deployment's arguments, but on 127.0.0.1)
    controller = startReplica(
      {...env, store: `kubernetes:real/${env.namespace}`, options: {...env.options, env: {...env.options.env, KUBECONFIG: kubeconfig}}},
      cloud.dir,
      ['--namespace', env.namespace, '--lease-namespace', own],
    )
    await waitFor(async () => (await controller!.metric('ke_controller_leader')) === 1, 'the controller to lead', 60_000)

    // Then a Cluster applied there becomes Running
    await env.apply('rbac', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await env.waitForCluster('rbac', 'Running', (o) => o.status?.phase === 'Running', 90_000)
    assert.equal(cloudClusters(cloud.dir).length, 1)
    // with its Events (best effort, so a refused one would only be missing)
    // (written as the create goes, so the last one may land just after the phase)
    await waitFor(async () => (await env.events('rbac')).some((e) => e.reason === 'Created'), 'the Created Event', 30_000)

    // And deleting it removes the cluster and the object
    await env.remove('rbac')
    await waitFor(async () => (await env.get('rbac')) === undefined, 'the object to go', 60_000)
    assert.equal(cloudClusters(cloud.dir).length, 0)

    // And nothing it did was refused
    // 403 as a word: a port number such as 34403 in a log line is no refusal
    const refused = controller.lines().filter((line) => /forbidden|\b403\b/i.test(line))
    assert.deepEqual(refused, [])
    assert.equal((await controller.stop()).code, 0)
  })
})

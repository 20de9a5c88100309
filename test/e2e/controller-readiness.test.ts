// /readyz means "both informers have listed" (newcomer trial: it answered 200 while the lists failed, as
// the informer's start resolves either way). A user that may list Cluster objects but not Secrets: the
// controller starts, /readyz is 503; once the Role grants Secrets, it lists them and /readyz is 200.
// Real API server, real RBAC, the controller as a subprocess.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {RbacAuthorizationV1Api, type V1PolicyRule} from '@kubernetes/client-node'
import {kubeConfigAs, needsKubernetes} from '../support/kubernetes.js'
import {waitFor} from '../support/ke.js'
import {controllerEnv, type ControllerEnv} from './controller/support.js'
import {sharedCloud, startReplica, type Replica} from './controller-support.js'

const CLUSTER_RULES: V1PolicyRule[] = [
  {apiGroups: ['ke.io'], resources: ['clusters', 'clusters/status', 'clusters/finalizers'], verbs: ['get', 'list', 'watch', 'update', 'patch']},
  {apiGroups: [''], resources: ['events'], verbs: ['create', 'patch']},
]

describe('ke controller › /readyz waits for both lists', needsKubernetes, () => {
  let env: ControllerEnv
  let cloud: {dir: string; dispose(): void}
  let controller: Replica | undefined

  before(async () => {
    env = await controllerEnv('ke-ctl-ready')
    cloud = sharedCloud()
  })
  after(async () => {
    await controller?.stop()
    await env?.dispose()
    cloud?.dispose()
  })

  it('answers 503 while Secrets cannot be listed, 200 once they can', async () => {
    // Given a ServiceAccount that may list Cluster objects but not Secrets
    const {namespace} = env
    const rbac = env.kube.admin().makeApiClient(RbacAuthorizationV1Api)
    await env.core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'limited'}}})
    await rbac.createNamespacedRole({namespace, body: {metadata: {name: 'limited'}, rules: CLUSTER_RULES}})
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {metadata: {name: 'limited'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'limited'}, subjects: [{kind: 'ServiceAccount', name: 'limited', namespace}]},
    })
    const {status} = await env.core.createNamespacedServiceAccountToken({name: 'limited', namespace, body: {spec: {audiences: [], expirationSeconds: 3600}}})
    const kubeconfig = join(env.home, 'limited.kubeconfig')
    writeFileSync(kubeconfig, kubeConfigAs(env.kube, {token: status!.token}).exportConfig(), {mode: 0o600})

    // When the controller runs as it
    controller = startReplica({...env, store: `kubernetes:real/${namespace}`, options: {...env.options, env: {...env.options.env, KUBECONFIG: kubeconfig}}}, cloud.dir, ['--no-leader-elect'])
    // (the refusal may be logged before the start is: the Secrets watch begins while the Clusters list is read)
    const logged = (text: string) => controller!.lines().some((line) => line.includes(text))
    await waitFor(() => logged('watch of secrets broke') && logged('controller started'), 'the Secrets list to be refused, and the controller to start', 30_000)

    // Then it is started but not ready
    assert.equal((await controller.get('/readyz')).status, 503)

    // And once the Role grants Secrets, it lists them and is ready
    await rbac.replaceNamespacedRole({
      name: 'limited',
      namespace,
      body: {metadata: {name: 'limited'}, rules: [...CLUSTER_RULES, {apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch']}]},
    })
    await waitFor(async () => (await controller!.get('/readyz')).status === 200, 'the controller to be ready', 60_000)
  })
})

// generateServiceAccountToken / removeServiceAccount against the REAL control plane of the test run
// (test/support/kubernetes.ts): the token is filled by Kubernetes' own tokens controller and checked
// with a real SelfSubjectReview. Each test uses its own namespace and owner.
import assert from 'node:assert/strict'
import {describe, it, before} from 'node:test'
import {AuthenticationV1Api, CoreV1Api, RbacAuthorizationV1Api} from '@kubernetes/client-node'
import {OWNER_ANNOTATION, generateServiceAccountToken, removeServiceAccount} from '../../../src/sdk/service-account-token.js'
import {waitFor} from '../../support/ke.js'
import {exists, kubeConfigAs, kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../../support/kubernetes.js'

async function whoAmI(kube: TestKubernetes, token: string): Promise<string | undefined> {
  const api = kubeConfigAs(kube, {token}).makeApiClient(AuthenticationV1Api)
  const review = await api.createSelfSubjectReview({body: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}})
  return review.status?.userInfo?.username
}

describe('service-account token helper › against the real API server', needsKubernetes, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  let rbac: RbacAuthorizationV1Api

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
    rbac = kube.admin().makeApiClient(RbacAuthorizationV1Api)
  })

  it('makes namespace, account, binding and token Secret, returns the token the tokens controller filled, and a second run returns the same', async () => {
    // Given a namespace and owner no one uses
    const [namespace, owner] = [uniqueName('sdk'), uniqueName('o')]
    const account = `kontainer-engine-${owner}`

    // When the helper runs, and runs again while the first run's Secret exists
    const token = await generateServiceAccountToken(kube.admin(), {namespace, owner, pollMs: 50})
    const again = await generateServiceAccountToken(kube.admin(), {namespace, owner, pollMs: 50})

    // Then the token is the account's own, bound to cluster-admin, each object marked as the owner's
    assert.equal(await whoAmI(kube, token), `system:serviceaccount:${namespace}:${account}`)
    assert.equal(again, token)
    const binding = await rbac.readClusterRoleBinding({name: account})
    assert.equal(binding.roleRef.name, 'cluster-admin')
    assert.deepEqual(binding.subjects?.map(({kind, name, namespace}) => ({kind, name, namespace})), [{kind: 'ServiceAccount', name: account, namespace}])
    assert.equal(binding.metadata?.annotations?.[OWNER_ANNOTATION], owner)
    const secret = await core.readNamespacedSecret({name: `${account}-token`, namespace})
    assert.equal(secret.metadata?.annotations?.[OWNER_ANNOTATION], owner)
    assert.equal((await core.readNamespace({name: namespace})).metadata?.annotations?.['ke/created-by'], 'ke')

    // When it is removed
    const result = await removeServiceAccount(kube.admin(), {namespace, owner})

    // Then everything it made is gone, the namespace too (being deleted), and the token stops working
    assert.deepEqual(result.kept, [], JSON.stringify(result))
    assert.deepEqual(result.deleted, [`clusterrolebinding ${account}`, `secret ${namespace}/${account}-token`, `serviceaccount ${namespace}/${account}`, `namespace ${namespace}`])
    assert.equal(await exists(() => rbac.readClusterRoleBinding({name: account})), false)
    await waitFor(() => whoAmI(kube, token).then(() => false, (error: {code?: number}) => error.code === 401), 'the token to be rejected')
  })

  it("removes only the owner's own marked objects: another owner's account and an unmarked one of the same name stay", async () => {
    // Given a namespace someone made, with two owners' accounts, and a third name taken by an unmarked account
    const namespace = uniqueName('sdk')
    await core.createNamespace({body: {metadata: {name: namespace}}})
    try {
      const [mine, theirs, squatted] = [uniqueName('mine'), uniqueName('theirs'), uniqueName('sq')]
      await generateServiceAccountToken(kube.admin(), {namespace, owner: mine, pollMs: 50})
      const theirToken = await generateServiceAccountToken(kube.admin(), {namespace, owner: theirs, pollMs: 50})
      await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: `kontainer-engine-${squatted}`}}})

      // When the first owner's account is removed, and the squatted name's
      const result = await removeServiceAccount(kube.admin(), {namespace, owner: mine})
      const squat = await removeServiceAccount(kube.admin(), {namespace, owner: squatted})

      // Then the other owner's token still works, the unmarked account stays, and so does the namespace
      assert.equal(await whoAmI(kube, theirToken), `system:serviceaccount:${namespace}:kontainer-engine-${theirs}`)
      assert.deepEqual(result.kept, [`namespace ${namespace} (not created by ke)`])
      assert.deepEqual(squat.deleted, [])
      assert.match(squat.kept[0]!, new RegExp(`serviceaccount ${namespace}/kontainer-engine-${squatted} \\(not marked ke/owner=${squatted}: this import did not make it\\)`))
      assert.equal(await exists(() => core.readNamespacedServiceAccount({name: `kontainer-engine-${squatted}`, namespace})), true)

      // and making a token for the squatted name refuses to adopt that account
      await assert.rejects(() => generateServiceAccountToken(kube.admin(), {namespace, owner: squatted, pollMs: 50}), /not marked ke\/owner=.*ke leaves it alone/)
    } finally {
      await core.deleteNamespace({name: namespace})
    }
  })
})

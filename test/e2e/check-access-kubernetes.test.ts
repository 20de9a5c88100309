// `ke access` and `create --check-access` against the REAL API server of the test run: the driver (a
// fixture that hands back whatever endpoint, CA and token it is given) returns real service-account
// tokens, and the answer comes from a real SelfSubjectAccessReview.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CoreV1Api, RbacAuthorizationV1Api} from '@kubernetes/client-node'
import {fixtureDriver} from '../support/fixtures.js'
import {makeHome, runKe, runKeJson} from '../support/ke.js'
import {kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'

describe('check access › against the real API server', needsKubernetes, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  let rbac: RbacAuthorizationV1Api
  let home: string
  let dispose: () => void
  let driver: string
  let caFile: string
  let namespace: string

  /** A real token of a new service account in the test's namespace, optionally allowed to list namespaces. */
  async function tokenOf(account: string, mayListNamespaces: boolean): Promise<string> {
    await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: account}}})
    if (mayListNamespaces) {
      await rbac.createClusterRoleBinding({
        body: {
          metadata: {name: `${namespace}-${account}`},
          roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view-namespaces-' + namespace},
          subjects: [{kind: 'ServiceAccount', name: account, namespace}],
        },
      })
    }
    const {status} = await core.createNamespacedServiceAccountToken({name: account, namespace, body: {spec: {audiences: []}}})
    return status!.token
  }

  const create = (name: string, token: string) =>
    runKe(['create', '--driver', driver, '--endpoint', kube.server, '--ca-file', caFile, '--token', token, '--check-access', name], {home})

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
    rbac = kube.admin().makeApiClient(RbacAuthorizationV1Api)
    namespace = uniqueName('access')
    await core.createNamespace({body: {metadata: {name: namespace}}})
    await rbac.createClusterRole({body: {metadata: {name: 'view-namespaces-' + namespace}, rules: [{apiGroups: [''], resources: ['namespaces'], verbs: ['list']}]}})
    ;({home, dispose} = makeHome('ke-access-real-'))
    driver = fixtureDriver('standin-cluster', home)
    caFile = join(home, 'ca.pem')
    writeFileSync(caFile, kube.caPem)
  })

  after(async () => {
    dispose?.()
    if (!core) return
    for (const binding of (await rbac.listClusterRoleBinding()).items) {
      if (binding.metadata?.name?.startsWith(`${namespace}-`)) await rbac.deleteClusterRoleBinding({name: binding.metadata.name})
    }
    await rbac.deleteClusterRole({name: 'view-namespaces-' + namespace})
    await core.deleteNamespace({name: namespace})
  })

  it('create --check-access and ke access pass with a token that may list namespaces, with the real server version', async () => {
    // Given a real token allowed to list namespaces
    const token = await tokenOf('reader', true)

    // When a cluster with it is created with --check-access, then checked with ke access
    const created = await create('allowed', token)
    const access = await runKeJson(['access', 'allowed'], {home})

    // Then both pass, and access reports the server's own version
    assert.equal(created.code, 0, created.stderr)
    assert.equal(access.code, 0, access.stderr)
    assert.equal(access.json.canListNamespaces, true)
    assert.match(access.json.serverVersion, /^v1\.\d+\.\d+/)
    assert.equal(access.json.server, kube.server)
  })

  it('create --check-access fails in one line when the real token may not list namespaces', async () => {
    // Given a real token of an account without rights
    const token = await tokenOf('nobody', false)

    // When a cluster with it is created with --check-access
    const result = await create('denied', token)

    // Then the check says the credentials cannot list namespaces, without the token
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /cluster denied: the token the driver returned cannot list namespaces/)
    assert.ok(!result.stderr.includes(token))
  })

  it('a token the real server does not know is reported as rejected (401), naming the server and the credentials', async () => {
    // When a cluster is created with a made-up token
    const result = await create('wrongtoken', 'made-up-token-9')

    // Then it is rejected by that server, and the token is not shown
    assert.equal(result.code, 1)
    assert.match(result.stderr, new RegExp(`the Kubernetes API at ${kube.server.replace(/[.:/]/g, '\\$&')} rejected the service-account token ke stored for cluster wrongtoken \\(401 Unauthorized\\)`))
    assert.ok(!result.stderr.includes('made-up-token-9'))
  })
})

// generateServiceAccountToken / removeServiceAccount against the HTTPS stand-in of the Kubernetes API, for
// what a real server does not do on demand (a token never filled, objects in odd states); the everyday
// paths run against the real API server in service-account-token-kubernetes.test.ts.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {test, type TestContext} from 'node:test'
import {
  CLUSTER_ROLE_BINDING_NAME,
  CREATED_BY_ANNOTATION,
  generateServiceAccountToken,
  removeServiceAccount,
} from '../../../src/sdk/service-account-token.js'
import {
  buildKubeConfig,
  generateUnrelatedCaPem,
  startKubeStandin,
  type KubeObject,
  type KubeStandin,
  type KubeStandinOptions,
} from '../../support/kube-standin.js'

const NS_KEY = 'namespaces/cattle-system'
const SECRET_KEY = 'secrets/cattle-system/kontainer-engine-token'
const SECRET_PATH = '/api/v1/namespaces/cattle-system/secrets/kontainer-engine-token'
const CREATE_PATHS = [
  '/api/v1/namespaces',
  '/api/v1/namespaces/cattle-system/serviceaccounts',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/api/v1/namespaces/cattle-system/secrets',
]

async function standin(t: TestContext, opts: KubeStandinOptions = {}): Promise<KubeStandin> {
  const s = await startKubeStandin(opts)
  t.after(() => s.close())
  return s
}

function decodedToken(s: KubeStandin): string {
  const data = s.objects.get(SECRET_KEY)?.data as Record<string, string> | undefined
  assert.ok(data?.token, 'the stand-in filled in the token')
  return Buffer.from(data.token, 'base64').toString('utf8')
}

function creates(s: KubeStandin): string[] {
  return s.requests.filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.status}`)
}

/** Everything Rancher's helper would have left on a cluster: our objects, made by someone else. */
function preparedByRancher(token: string): KubeObject[] {
  return [
    {kind: 'Namespace', metadata: {name: 'cattle-system'}},
    {kind: 'ServiceAccount', metadata: {name: 'kontainer-engine', namespace: 'cattle-system'}},
    {
      kind: 'ClusterRoleBinding',
      metadata: {name: CLUSTER_ROLE_BINDING_NAME},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin'},
      subjects: [{kind: 'ServiceAccount', name: 'kontainer-engine', namespace: 'cattle-system'}],
    },
    {
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'kontainer-engine-token',
        namespace: 'cattle-system',
        annotations: {'kubernetes.io/service-account.name': 'kontainer-engine'},
      },
      data: {token: Buffer.from(token).toString('base64')},
    },
  ]
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

test('generateServiceAccountToken › against the API stand-in, objects that already exist (made by Rancher) are reused and their token returned', async (t) => {
  // Given a cluster where namespace, account, binding and a filled token Secret already exist
  const s = await standin(t, {objects: preparedByRancher('token-made-by-rancher')})

  // When the helper runs
  const token = await generateServiceAccountToken(s.kubeConfig(), {pollMs: 20})

  // Then it creates nothing, leaves the namespace unmarked, and returns the existing token
  assert.deepEqual(creates(s), CREATE_PATHS.map((p) => `${p} 409`))
  assert.equal(s.objects.get(NS_KEY)?.metadata.annotations?.[CREATED_BY_ANNOTATION], undefined)
  assert.equal(token, 'token-made-by-rancher')
})

test('generateServiceAccountToken › against the API stand-in, 403 on clusterrolebindings says which right is missing', async (t) => {
  // Given a user who may not create ClusterRoleBindings
  const s = await standin(t, {forbidden: [{verb: 'create', resource: 'clusterrolebindings'}]})

  // When the helper runs
  // Then it fails with a message naming the verb, the resource and what is needed
  await assert.rejects(generateServiceAccountToken(s.kubeConfig(), {pollMs: 20}), (err: Error) => {
    assert.match(
      err.message,
      /^the kubeconfig's user is not allowed to create clusterrolebindings \(403 Forbidden\): it needs cluster-admin to create the kontainer-engine service account/,
    )
    return true
  })
  // And it stopped there: no token Secret was asked for
  assert.equal(s.requestsTo('POST', '/api/v1/namespaces/cattle-system/secrets').length, 0)
})

test('generateServiceAccountToken › against the API stand-in, a wrong token gives 401 naming the server and not the token', async (t) => {
  // Given a kubeconfig whose token the API rejects
  const s = await standin(t)
  const kc = s.kubeConfig({token: 'wrong-token-value'})

  // When the helper runs
  // Then the message says the credentials were rejected by that server, without the token
  await assert.rejects(generateServiceAccountToken(kc, {pollMs: 20}), (err: Error) => {
    assert.equal(err.message, `the kubeconfig's credentials were rejected (401 Unauthorized) by ${s.url}`)
    assert.doesNotMatch(err.message, /wrong-token-value/)
    return true
  })
  assert.equal(s.objects.get(NS_KEY), undefined)
})

test('generateServiceAccountToken › against the API stand-in, an unreachable API (closed port) is reported with its URL', async (t) => {
  // Given a kubeconfig pointing at a port nothing listens on
  const s = await standin(t)
  const server = `https://127.0.0.1:${await closedPort()}`
  const kc = buildKubeConfig({server, caPem: s.caPem, token: s.token})

  // When the helper runs
  // Then it says it cannot reach the API at that URL, and why
  await assert.rejects(generateServiceAccountToken(kc, {pollMs: 20}), (err: Error) => {
    assert.equal(err.message, `cannot reach the Kubernetes API at ${server}: connection refused (ECONNREFUSED)`)
    return true
  })
})

test('generateServiceAccountToken › against the API stand-in, a server certificate from another CA is reported as not trusted', async (t) => {
  // Given a kubeconfig that trusts a different certificate authority
  const s = await standin(t)
  const kc = s.kubeConfig({caPem: await generateUnrelatedCaPem()})

  // When the helper runs
  // Then it says the API's certificate is not trusted, and no request got through
  await assert.rejects(generateServiceAccountToken(kc, {pollMs: 20}), (err: Error) => {
    assert.match(err.message, new RegExp(`^the certificate of the Kubernetes API at ${s.url} is not trusted: `))
    assert.match(err.message, /certificate authority in the kubeconfig/)
    return true
  })
  assert.equal(s.requests.length, 0)
})

test('generateServiceAccountToken › against the API stand-in, a token that is never filled in ends a bounded wait with a clear error', async (t) => {
  // Given a cluster without a running token controller
  const s = await standin(t, {tokenFillDelayMs: 'never'})

  // When the helper runs with a short wait
  // Then it gives up after that wait and asks about the token controller
  await assert.rejects(generateServiceAccountToken(s.kubeConfig(), {timeoutMs: 300, pollMs: 50}), (err: Error) => {
    assert.equal(
      err.message,
      'the token of secret cattle-system/kontainer-engine-token was not filled in within 0.3 s: is the token controller running?',
    )
    return true
  })
  // And it polled the Secret more than once meanwhile
  assert.ok(s.requestsTo('GET', SECRET_PATH).length >= 2)
})

test('generateServiceAccountToken › against the API stand-in, a token filled in after a delay is waited for and returned', async (t) => {
  // Given a token controller that takes 300 ms
  const s = await standin(t, {tokenFillDelayMs: 300})

  // When the helper runs with a wait longer than that
  const token = await generateServiceAccountToken(s.kubeConfig(), {timeoutMs: 10_000, pollMs: 50})

  // Then it polled until the token appeared and returns it
  assert.ok(s.requestsTo('GET', SECRET_PATH).length >= 2)
  assert.equal(token, decodedToken(s))
})

test('removeServiceAccount › against the API stand-in, keeps a namespace it created once something else lives in it', async (t) => {
  // Given a namespace the helper created, in which someone then put a config map
  const s = await standin(t)
  await generateServiceAccountToken(s.kubeConfig(), {pollMs: 20})
  s.objects.set('configmaps/cattle-system/someone-elses', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name: 'someone-elses', namespace: 'cattle-system'},
  })

  // When the service account is removed
  const result = await removeServiceAccount(s.kubeConfig())

  // Then the namespace and that config map stay, and the result says why
  assert.ok(s.objects.get(NS_KEY))
  assert.ok(s.objects.get('configmaps/cattle-system/someone-elses'))
  assert.deepEqual(result.kept, ['namespace cattle-system (it still holds configmaps someone-elses)'])
})


// The built-in `import` driver, through `ke` as a subprocess, against the REAL control plane of the test
// run (test/support/kubernetes.ts): RBAC, the tokens controller and SelfSubjectAccessReview are
// Kubernetes' own. Each test imports under its own names; cattle-system exists before any import, as on
// a cluster Rancher manages, so no test's clean-up can delete it under another.
import {after, before, describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {AuthenticationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api, VersionApi} from '@kubernetes/client-node'
import {generateUnrelatedCaPem} from '../support/kube-standin.js'
import {exists, kubeConfigAs, kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'
import {pickFreePort} from '../../src/driver/run/ports.js'
import {clusterExists, makeHome, readCluster, runKe, runKeJson, type KeResult} from '../support/ke.js'

const NS = 'cattle-system'

/** A driver or usage failure: the exit code, one Error line, no stack trace. */
function assertOneLine(result: KeResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `expected exit ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  assert.match(result.stderr, message)
  assert.equal(result.stderr.split('\n').filter((line) => line.startsWith('Error:')).length, 1, result.stderr)
  assert.doesNotMatch(result.stderr, /\n\s+at /)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The import's own account, as recorded in its state. */
function accountOf(home: string, name: string): string {
  const owner = JSON.parse(readCluster(home, name).info.metadata.state).owner
  assert.ok(owner, 'the import recorded no owner')
  return `kontainer-engine-${owner}`
}

/** A kubeconfig file for the control plane with the given user, CA and server. */
function writeKubeconfig(kube: TestKubernetes, file: string, user: {token?: string}, opts: {caPem?: string; server?: string} = {}): string {
  writeFileSync(file, kubeConfigAs(kube, user, opts).exportConfig(), {mode: 0o600})
  return file
}

describe('import driver › against the real API server', {...needsKubernetes, concurrency: 2}, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  let rbac: RbacAuthorizationV1Api
  let home: string
  let disposeHome: () => void
  let cwd: string
  const ke = (args: string[]) => runKe(args, {home, cwd})
  const keJson = (args: string[]) => runKeJson(args, {home, cwd})

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
    rbac = kube.admin().makeApiClient(RbacAuthorizationV1Api)
    await core.createNamespace({body: {metadata: {name: NS}}}).catch((error) => {
      if (error.code !== 409) throw error
    })
    ;({home, dispose: disposeHome} = makeHome('ke-import-real-'))
    cwd = mkdtempSync(join(tmpdir(), 'ke-import-user-'))
  })

  after(() => {
    disposeHome?.()
    if (cwd) rmSync(cwd, {recursive: true, force: true})
  })

  it('imports Running with the real version and node count, a token filled by the tokens controller, and rm deletes only its own account', async () => {
    // Given the control plane with two more Node objects, and the admin's kubeconfig
    const nodes = [uniqueName('node'), uniqueName('node')]
    for (const name of nodes) await core.createNode({body: {metadata: {name}}})
    const name = uniqueName('imp')

    // When it is imported through ke
    const created = await keJson(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, name])

    // Then it is Running with what the API server says
    assert.equal(created.code, 0, created.stderr)
    const {gitVersion} = await kube.admin().makeApiClient(VersionApi).getCode()
    const cluster = created.json.cluster
    assert.equal(cluster.status, 'Running')
    assert.equal(cluster.info.endpoint, kube.server)
    assert.equal(cluster.info.version, gitVersion)
    assert.equal(cluster.info.nodeCount, (await core.listNode()).items.length)
    assert.ok(cluster.info.nodeCount >= 2)

    // and its token Secret was filled by the tokens controller, for this import's own account
    const account = accountOf(home, name)
    const secret = await core.readNamespacedSecret({name: `${account}-token`, namespace: NS})
    assert.ok(secret.data?.token && secret.data['ca.crt'] && secret.data.namespace, 'the tokens controller did not fill the Secret')
    assert.equal(Buffer.from(secret.data.namespace!, 'base64').toString(), NS)

    // and size get counts a Node made after the import, version get reads the server again
    await core.createNode({body: {metadata: {name: uniqueName('node')}}})
    const size = await keJson(['size', 'get', name])
    assert.equal(size.code, 0, size.stderr)
    assert.equal(size.json.nodeCount, (await core.listNode()).items.length)
    const version = await keJson(['version', 'get', name])
    assert.equal(version.json.version, gitVersion)

    // and ke kubeconfig works with client-node as that service account
    const exported = await ke(['kubeconfig', name])
    assert.equal(exported.code, 0, exported.stderr)
    const kc = new KubeConfig()
    kc.loadFromString(exported.stdout)
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({body: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}})
    assert.equal(review.status?.userInfo?.username, `system:serviceaccount:${NS}:${account}`)
    assert.ok((await kc.makeApiClient(CoreV1Api).listNamespace()).items.some((ns) => ns.metadata?.name === NS))

    // and ke update runs PostCheck again without changing the token
    const updated = await keJson(['update', name])
    assert.equal(updated.code, 0, updated.stderr)
    const again = await core.readNamespacedSecret({name: `${account}-token`, namespace: NS})
    assert.equal(again.data?.token, secret.data?.token)

    // and ls, inspect and the driver log show the import without any token; version and size cannot be set
    const listed = await ke(['ls'])
    assert.match(listed.stdout, new RegExp(`${name}\\s+import\\s+${escape(gitVersion)}\\s+${escape(kube.server)}\\s+${size.json.nodeCount}\\s+Running`))
    const inspected = await keJson(['inspect', name])
    assert.equal(inspected.json.info.serviceAccountToken, '<redacted>')
    const token = Buffer.from(secret.data.token!, 'base64').toString()
    const log = readFileSync(join(home, 'clusters', name, 'driver.log'), 'utf8')
    for (const text of [inspected.stdout, log]) {
      assert.ok(!text.includes(token), 'the service-account token leaked')
    }
    assert.match((await ke(['version', 'set', name, 'v1.33.0'])).stderr, /driver import does not support changing the Kubernetes version/)
    assert.match((await ke(['size', 'set', name, '5'])).stderr, /driver import does not support changing the node count/)

    // When it is removed
    const removed = await ke(['rm', '-y', name])

    // Then its binding, Secret and account are gone, cattle-system (not ke's) stays, and ke says so
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(await exists(() => rbac.readClusterRoleBinding({name: account})), false)
    assert.equal(await exists(() => core.readNamespacedSecret({name: `${account}-token`, namespace: NS})), false)
    assert.equal(await exists(() => core.readNamespacedServiceAccount({name: account, namespace: NS})), false)
    assert.equal(await exists(() => core.readNamespace({name: NS})), true)
    assert.match(removed.stderr + removed.stdout, /left alone: namespace cattle-system \(not created by ke\)/)
    assert.equal(clusterExists(home, name), false)
  })

  it('the same cluster imported twice: ke rm of one leaves the other working', async () => {
    // Given one cluster imported as a1 and as b1
    const [a1, b1] = [uniqueName('a1'), uniqueName('b1')]
    for (const name of [a1, b1]) {
      const result = await ke(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, name])
      assert.equal(result.code, 0, result.stderr)
    }
    assert.notEqual(accountOf(home, a1), accountOf(home, b1))

    // When a1 is removed
    const removed = await ke(['rm', '-y', a1])
    assert.equal(removed.code, 0, removed.stderr)

    // Then b1's credentials still work, as ke access and a client with ke's kubeconfig see
    const access = await keJson(['access', b1])
    assert.equal(access.code, 0, access.stderr)
    assert.equal(access.json.canListNamespaces, true)
    const kc = new KubeConfig()
    kc.loadFromString((await ke(['kubeconfig', b1])).stdout)
    await kc.makeApiClient(CoreV1Api).listNamespace()
    assert.equal((await ke(['rm', '-y', b1])).code, 0)
  })

  it("ke rm of an import leaves Rancher's kontainer-engine account and binding on the cluster", async () => {
    // Given a cluster Rancher manages: cattle-system/kontainer-engine bound by system-netes-default-clusterRoleBinding
    const binding = 'system-netes-default-clusterRoleBinding'
    await core.createNamespacedServiceAccount({namespace: NS, body: {metadata: {name: 'kontainer-engine'}}})
    await rbac.createClusterRoleBinding({
      body: {
        metadata: {name: binding},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin'},
        subjects: [{kind: 'ServiceAccount', name: 'kontainer-engine', namespace: NS}],
      },
    })
    try {
      // When ke imports it and removes the import
      const name = uniqueName('rancher')
      assert.equal((await ke(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, name])).code, 0)
      const removed = await ke(['rm', '-y', name])

      // Then Rancher's account and binding are still there
      assert.equal(removed.code, 0, removed.stderr)
      assert.equal(await exists(() => core.readNamespacedServiceAccount({name: 'kontainer-engine', namespace: NS})), true)
      assert.equal(await exists(() => rbac.readClusterRoleBinding({name: binding})), true)
    } finally {
      await rbac.deleteClusterRoleBinding({name: binding})
      await core.deleteNamespacedServiceAccount({name: 'kontainer-engine', namespace: NS})
    }
  })

  it('credentials that may not create the service account give the 403 in one line', async () => {
    // Given a real service account that may read nodes and namespaces and nothing else, and a kubeconfig with its token
    const namespace = uniqueName('limited')
    await core.createNamespace({body: {metadata: {name: namespace}}})
    await rbac.createClusterRole({body: {metadata: {name: namespace}, rules: [{apiGroups: [''], resources: ['nodes', 'namespaces'], verbs: ['get', 'list']}]}})
    await rbac.createClusterRoleBinding({
      body: {
        metadata: {name: namespace},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: namespace},
        subjects: [{kind: 'ServiceAccount', name: 'nobody', namespace}],
      },
    })
    try {
      await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'nobody'}}})
      const {status} = await core.createNamespacedServiceAccountToken({name: 'nobody', namespace, body: {spec: {audiences: []}}})
      const file = writeKubeconfig(kube, join(cwd, `${namespace}.yaml`), {token: status!.token})

      // When it is imported with those credentials
      const result = await ke(['create', '--driver', 'import', '--kubeconfig', file, namespace])

      // Then the 403 is named, with the right that is missing
      assertOneLine(result, 1, /not allowed to create serviceaccounts \(403 Forbidden\): it needs cluster-admin/)
      assert.ok(!result.stderr.includes(status!.token), 'the token leaked')
    } finally {
      await rbac.deleteClusterRoleBinding({name: namespace})
      await rbac.deleteClusterRole({name: namespace})
      await core.deleteNamespace({name: namespace})
    }
  })

  it('an unreachable server and an untrusted certificate each give one line naming the URL', async () => {
    // Given a kubeconfig for a port where nothing listens, and one trusting an unrelated CA
    const down = `https://127.0.0.1:${await pickFreePort()}`
    const downFile = writeKubeconfig(kube, join(cwd, 'down.yaml'), {token: 'x'}, {server: down})
    const badCaFile = writeKubeconfig(kube, join(cwd, 'badca.yaml'), {token: 'x'}, {caPem: await generateUnrelatedCaPem()})

    // When each is imported
    const unreachable = await ke(['create', '--driver', 'import', '--kubeconfig', downFile, uniqueName('down')])
    const untrusted = await ke(['create', '--driver', 'import', '--kubeconfig', badCaFile, uniqueName('badca')])

    // Then each says what is wrong, where
    assertOneLine(unreachable, 1, new RegExp(`cannot reach the Kubernetes API at ${escape(down)}: connection refused`))
    assertOneLine(untrusted, 1, new RegExp(`the certificate of the Kubernetes API at ${escape(kube.server)} is not trusted`))
  })

  it('a usage mistake in an import (no --kubeconfig, unknown context) exits 2 and records nothing', async () => {
    // Given no kubeconfig, then a context the file does not have
    const [none, ctx] = [uniqueName('nokc'), uniqueName('noctx')]
    const missing = await ke(['create', '--driver', 'import', none])
    const unknown = await ke(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, '--context', 'prod', ctx])

    // Then both are usage errors saying what to do, and ke keeps no cluster for them
    assertOneLine(missing, 2, /pass --kubeconfig FILE/)
    assertOneLine(unknown, 2, new RegExp(`context "prod" is not in kubeconfig ${escape(kube.kubeconfigPath)} \\(it has: ke-test\\)`))
    assert.equal(clusterExists(home, none), false)
    assert.equal(clusterExists(home, ctx), false)
    const listed = await keJson(['ls'])
    assert.ok(!JSON.stringify(listed.json).includes(none) && !JSON.stringify(listed.json).includes(ctx), listed.stdout)
  })

  it('ke access with a revoked token names the server and the credentials, not the driver author', async () => {
    // Given an import whose token Secret was then deleted on the cluster (which revokes the token)
    const name = uniqueName('revoked')
    assert.equal((await ke(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, name])).code, 0)
    const account = accountOf(home, name)
    await core.deleteNamespacedSecret({name: `${account}-token`, namespace: NS})
    try {
      // When access is checked (the API server may take a moment to stop accepting it)
      let result = await ke(['access', name])
      for (let i = 0; i < 20 && result.code === 0; i++) result = await ke(['access', name])

      // Then it says who rejected which credentials, and how to get new ones
      assertOneLine(result, 1, new RegExp(`the Kubernetes API at ${escape(kube.server)} rejected the service-account token ke stored for cluster ${name} \\(401 Unauthorized\\)`))
      assert.match(result.stderr, new RegExp(`ke update ${name}`))
      assert.doesNotMatch(result.stderr, /driver author/)

      // and ke update makes working credentials again
      assert.equal((await ke(['update', name])).code, 0)
      assert.equal((await ke(['access', name])).code, 0)
    } finally {
      await ke(['rm', '-y', name])
    }
  })

  it('ke access on an endpoint that does not resolve or does not answer names the endpoint and the network', async () => {
    // Given an imported cluster whose recorded endpoint then stops resolving, then stops answering
    const name = uniqueName('moved')
    assert.equal((await ke(['create', '--driver', 'import', '--kubeconfig', kube.kubeconfigPath, name])).code, 0)
    const file = join(home, 'clusters', name, 'cluster.json')
    const original = readFileSync(file, 'utf8')
    const moveTo = (endpoint: string) => writeFileSync(file, original.replaceAll(kube.server, endpoint))
    try {
      moveTo('https://ke-test-cluster.invalid:6443')
      const dns = await ke(['access', name])
      const down = `https://127.0.0.1:${await pickFreePort()}`
      moveTo(down)
      const refused = await ke(['access', name])

      // Then each names the endpoint and what to check on the network, not the driver
      assertOneLine(dns, 1, /cannot reach the Kubernetes API at https:\/\/ke-test-cluster\.invalid:6443: host not found/)
      assert.match(dns.stderr, /ke-test-cluster\.invalid does not resolve from this machine: check its DNS/)
      assertOneLine(refused, 1, new RegExp(`cannot reach the Kubernetes API at ${escape(down)}: connection refused`))
      assert.match(refused.stderr, new RegExp(`check the network from this machine to ${escape(down)}`))
      for (const result of [dns, refused]) assert.doesNotMatch(result.stderr, /driver author/)
    } finally {
      writeFileSync(file, original)
      await ke(['rm', '-y', name])
    }
  })
})

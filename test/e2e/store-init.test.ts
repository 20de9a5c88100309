// `ke store init` through `ke` as a subprocess, and the store used before it, against a REAL API server
// of this file's own (test/support/kubernetes.ts privateKubernetes): a CRD is cluster-wide, and "not
// applied yet" must hold whatever other test files apply to the run's shared control plane. Each test
// leaves the server without the CRD, as it found it.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ApiextensionsV1Api, CoreV1Api} from '@kubernetes/client-node'
import {KeError} from '../../src/errors.js'
import {KubernetesStore} from '../../src/store/kubernetes/kubernetes-store.js'
import {clusterTable, exists, kubeConfigAs, needsKubernetes, privateKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'
import {makeHome, runKe, runKeJson, waitFor} from '../support/ke.js'

const CRD = 'clusters.ke.io'
/** The admin kubeconfig's context and the namespace it leaves to the default. */
const STORE = 'kubernetes:ke-test/default'

describe('ke store init › against a real API server of its own', needsKubernetes, () => {
  let kube: TestKubernetes
  let crds: ApiextensionsV1Api
  let home: string
  let dispose: () => void
  const ke = (args: string[]) => runKe(args, {home, env: {KUBECONFIG: kube.kubeconfigPath, KE_STORE: undefined}, timeoutMs: 90_000})

  before(async () => {
    kube = await privateKubernetes()
    crds = kube.admin().makeApiClient(ApiextensionsV1Api)
    ;({home, dispose} = makeHome('ke-store-init-'))
  })

  after(() => dispose?.())

  async function removeCrd(): Promise<void> {
    await crds.deleteCustomResourceDefinition({name: CRD}).catch(() => {})
    await waitFor(async () => !(await exists(() => crds.readCustomResourceDefinition({name: CRD}))), 'the CRD to be gone', 60_000)
  }

  it('using the store before `ke store init` says so in one line naming that command', async () => {
    // Given an API server without the CRD
    await removeCrd()
    const store = await KubernetesStore.open({kc: kube.admin(), namespace: 'default', label: STORE}, {logDir: home})

    // When the store is used
    for (const use of [() => store.list(), () => store.exists('demo'), () => store.load('demo')]) {
      await assert.rejects(use(), (error: unknown) => {
        // Then one line says what is missing and which command sets it up
        assert.ok(error instanceof KeError, String(error))
        assert.equal(error.message, `the Kubernetes store ${STORE} has no clusters.ke.io resource: run \`ke store init --store ${STORE}\` once (needs rights to create CRDs)`)
        assert.equal(error.exitCode, 2)
        return true
      })
    }
  })

  it('applies the CRD with server-side apply, waits until it is Established, and is idempotent', async () => {
    // Given an API server without the CRD
    await removeCrd()
    try {
      // When `ke store init` runs (current context), then again naming the store, then with --json
      const first = await ke(['store', 'init'])
      const again = await ke(['store', 'init', '--store', STORE])
      const json = await runKeJson(['store', 'init'], {home, env: {KUBECONFIG: kube.kubeconfigPath}})

      // Then the first applies it, the others find it unchanged; each exits 0 once it is served
      assert.equal(first.code, 0, first.stderr)
      assert.equal(first.stdout, `applied CustomResourceDefinition ${CRD} (Established) for the Kubernetes store ${STORE}\n`)
      assert.equal(again.code, 0, again.stderr)
      assert.equal(again.stdout, `unchanged: CustomResourceDefinition ${CRD} (Established) for the Kubernetes store ${STORE}\n`)
      assert.deepEqual(json.json, {store: STORE, crd: CRD, changed: false})
      const crd = await crds.readCustomResourceDefinition({name: CRD})
      assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
      assert.deepEqual(crd.metadata?.managedFields?.map((f) => [f.manager, f.operation]).filter(([, op]) => op === 'Apply'), [['ke', 'Apply']])
      assert.deepEqual([crd.spec.scope, crd.spec.names.shortNames, crd.spec.versions.map((v) => [v.name, Boolean(v.subresources?.status)])], ['Namespaced', ['kec'], [['v1alpha1', true]]])

      // And `kubectl get clusters.ke.io` shows the columns, and the store works
      assert.deepEqual((await clusterTable(kube.admin(), 'default')).columns, ['Name', 'Driver', 'Phase', 'Ready', 'Reason', 'Endpoint', 'Version', 'Nodes', 'Age'])
      const store = await KubernetesStore.open({kc: kube.admin(), namespace: 'default', label: STORE}, {logDir: home})
      assert.deepEqual(await store.list(), [])
    } finally {
      await removeCrd()
    }
  })

  it('a user without rights on CRDs gets the 403 in one line, exit 1', async () => {
    // Given a service account with no rights at all, in a kubeconfig of its own
    const core = kube.admin().makeApiClient(CoreV1Api)
    const account = uniqueName('nobody')
    await core.createNamespacedServiceAccount({namespace: 'default', body: {metadata: {name: account}}})
    const {status} = await core.createNamespacedServiceAccountToken({name: account, namespace: 'default', body: {spec: {audiences: [], expirationSeconds: 600}}})
    const kubeconfig = join(home, `${account}.kubeconfig`)
    writeFileSync(kubeconfig, kubeConfigAs(kube, {token: status!.token}).exportConfig(), {mode: 0o600})

    // When it runs `ke store init`
    const result = await runKe(['store', 'init'], {home, env: {KUBECONFIG: kubeconfig, KE_STORE: undefined}})

    // Then one line names the call, the 403 and the API server's words, and what to check
    assert.equal(result.code, 1, result.stderr)
    assert.equal(
      result.stderr,
      'Error: Kubernetes store kubernetes:real/default: cannot apply CustomResourceDefinition clusters.ke.io (403 Forbidden: ' +
        `customresourcedefinitions.apiextensions.k8s.io "clusters.ke.io" is forbidden: User "system:serviceaccount:default:${account}" ` +
        'cannot get resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope) (see what this user may do with `kubectl auth can-i --list`)\n',
    )
  })

  it('refuses the file store and a context the kubeconfig lacks, in one line', async () => {
    const file = await ke(['store', 'init', '--store', 'file'])
    const missing = await ke(['store', 'init', '--store', 'kubernetes:nowhere'])

    assert.equal(file.code, 2)
    assert.equal(file.stderr, 'Error: the file store needs no init (use `--store kubernetes[:CONTEXT][/NAMESPACE]`)\n')
    assert.equal(missing.code, 2)
    assert.equal(missing.stderr, 'Error: the kubeconfig has no context "nowhere" (it has ke-test) (see `kubectl config get-contexts`)\n')
  })
})

// `ke controller manifests` (issue 16) through `ke` as a subprocess: the YAML it prints passes a
// server-side dry-run apply on the REAL API server of the test run, the flags land where they should,
// and the RBAC it grants is what the controller needs and no more (asked of the real RBAC authorizer).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {AuthorizationV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject} from '@kubernetes/client-node'
import {parseAllDocuments} from 'yaml'
import {kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'
import {makeHome, runKe} from '../support/ke.js'

type Manifest = KubernetesObject & Record<string, any>

describe('ke controller manifests', () => {
  let home: string
  let dispose: () => void

  before(() => {
    ;({home, dispose} = makeHome('ke-manifests-'))
  })
  after(() => dispose?.())

  async function manifests(args: string[]): Promise<Manifest[]> {
    const result = await runKe(['controller', 'manifests', ...args], {home})
    assert.equal(result.code, 0, result.stderr)
    const docs = parseAllDocuments(result.stdout)
    for (const doc of docs) assert.deepEqual(doc.errors, [])
    return docs.map((doc) => doc.toJS() as Manifest)
  }

  const find = (objects: Manifest[], kind: string) => objects.filter((o) => o.kind === kind)
  const one = (objects: Manifest[], kind: string) => {
    const found = find(objects, kind)
    assert.equal(found.length, 1, `one ${kind} in ${objects.map((o) => o.kind).join(', ')}`)
    return found[0]
  }

  it('prints the CRD, Namespace, ServiceAccount, cluster-wide RBAC and a Deployment, in that order, by default', async () => {
    const objects = await manifests([])
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['CustomResourceDefinition', 'Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment'],
    )
    const deployment = one(objects, 'Deployment')
    assert.equal(deployment.metadata?.namespace, 'ke-system')
    const [container] = deployment.spec.template.spec.containers
    assert.match(container.image, /^ke:\d+\.\d+\.\d+/)
    assert.deepEqual(container.args, ['controller', '--all-namespaces', '--lease-namespace', '$(POD_NAMESPACE)', '--probe-address', ':8080', '--log-format', 'json'])
    assert.deepEqual(container.env.find((e: {name: string}) => e.name === 'POD_NAMESPACE').valueFrom, {fieldRef: {fieldPath: 'metadata.namespace'}})
    assert.equal(deployment.spec.replicas, 1)
    // the new pod stands by until the old one releases the leader Lease
    assert.deepEqual(deployment.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}})
  })

  it('puts --image in the container and --namespace on every namespaced object and the binding subject', async () => {
    // When asked for another image and namespace
    const objects = await manifests(['--image', 'registry.example.com/team/ke:1.2.3', '--namespace', 'platform'])

    // Then the Deployment runs that image, and everything namespaced lives in that namespace
    const deployment = one(objects, 'Deployment')
    assert.equal(deployment.spec.template.spec.containers[0].image, 'registry.example.com/team/ke:1.2.3')
    assert.equal(one(objects, 'Namespace').metadata?.name, 'platform')
    for (const kind of ['ServiceAccount', 'Deployment']) assert.equal(one(objects, kind).metadata?.namespace, 'platform', kind)
    assert.deepEqual(one(objects, 'ClusterRoleBinding').subjects, [{kind: 'ServiceAccount', name: 'ke-controller', namespace: 'platform'}])
    assert.equal(deployment.spec.template.spec.serviceAccountName, 'ke-controller')
  })

  it('runs the container as non-root on a read-only root filesystem, with probes, limits and a writable KE_HOME', async () => {
    const deployment = one(await manifests([]), 'Deployment')
    const pod = deployment.spec.template.spec
    const [container] = pod.containers
    assert.equal(pod.securityContext.runAsNonRoot, true)
    assert.equal(container.securityContext.readOnlyRootFilesystem, true)
    assert.equal(container.securityContext.allowPrivilegeEscalation, false)
    assert.deepEqual(container.securityContext.capabilities, {drop: ['ALL']})
    assert.deepEqual(container.livenessProbe.httpGet, {path: '/healthz', port: 'http'})
    assert.deepEqual(container.readinessProbe.httpGet, {path: '/readyz', port: 'http'})
    assert.deepEqual(container.ports, [{name: 'http', containerPort: 8080, protocol: 'TCP'}])
    assert.ok(container.resources.requests.cpu && container.resources.requests.memory)
    assert.ok(container.resources.limits.cpu && container.resources.limits.memory)
    const keHome = container.env.find((e: {name: string}) => e.name === 'KE_HOME').value
    const mount = container.volumeMounts.find((m: {mountPath: string}) => m.mountPath === keHome)
    assert.ok(pod.volumes.find((v: {name: string; emptyDir?: object}) => v.name === mount.name && v.emptyDir), 'KE_HOME is an emptyDir')
    // longer than the controller's own 30 s shutdown grace, so in-flight calls can end
    assert.ok(pod.terminationGracePeriodSeconds > 30)
  })

  it('with --replicas 2 runs two replicas, leader election left on', async () => {
    const deployment = one(await manifests(['--replicas', '2']), 'Deployment')
    assert.equal(deployment.spec.replicas, 2)
    const args: string[] = deployment.spec.template.spec.containers[0].args
    assert.ok(!args.includes('--no-leader-elect'), args.join(' '))
  })

  it('with --watch-namespace grants a Role in that namespace only, and the controller watches only it', async () => {
    const objects = await manifests(['--watch-namespace', 'team-a'])
    assert.deepEqual(find(objects, 'ClusterRole'), [])
    assert.deepEqual(find(objects, 'ClusterRoleBinding'), [])
    // the clusters' Role there, and the leader Lease's Role beside the controller
    assert.deepEqual(find(objects, 'Role').map((r) => `${r.metadata?.namespace}/${r.metadata?.name}`), ['team-a/ke-controller', 'ke-system/ke-controller-leader-election'])
    assert.deepEqual(find(objects, 'RoleBinding').map((r) => `${r.metadata?.namespace}/${r.metadata?.name}`), ['team-a/ke-controller', 'ke-system/ke-controller-leader-election'])
    const args: string[] = one(objects, 'Deployment').spec.template.spec.containers[0].args
    assert.deepEqual(args.slice(0, 3), ['controller', '--namespace', 'team-a'])
  })

  it('with --json prints the same objects as one JSON array', async () => {
    const yaml = await manifests(['--image', 'x:1'])
    const result = await runKe(['controller', 'manifests', '--image', 'x:1', '--json'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), yaml)
  })

  it('refuses a namespace that is not a DNS label, and both scopes at once, with one line and exit 2', async () => {
    const bad = await runKe(['controller', 'manifests', '--namespace', 'Team_A'], {home})
    assert.equal(bad.code, 2)
    assert.equal(bad.stdout, '')
    assert.match(bad.stderr, /--namespace "Team_A" is not a namespace name/)
    assert.doesNotMatch(bad.stderr, /\n\s+at /)
    const both = await runKe(['controller', 'manifests', '--all-namespaces', '--watch-namespace', 'x'], {home})
    assert.equal(both.code, 2)
    assert.match(both.stderr, /--watch-namespace/)
  })

  describe('against a real API server', needsKubernetes, () => {
    let kube: TestKubernetes
    let namespace: string
    let watched: string

    before(async () => {
      kube = await kubernetes()
      namespace = uniqueName('ke-system')
      watched = uniqueName('team')
      const core = kube.admin().makeApiClient(CoreV1Api)
      // namespaced objects can be dry-run only into a namespace that exists
      for (const name of [namespace, watched]) await core.createNamespace({body: {metadata: {name}}})
    })

    after(async () => {
      const core = kube?.admin().makeApiClient(CoreV1Api)
      for (const name of [namespace, watched]) await core?.deleteNamespace({name}).catch(() => undefined)
    })

    const apply = (objects: Manifest[], dryRun: 'All' | undefined) => {
      const api = KubernetesObjectApi.makeApiClient(kube.admin())
      return Promise.all(objects.map((o) => api.patch(o, undefined, dryRun, 'ke-test', true, PatchStrategy.ServerSideApply)))
    }

    for (const scope of [[], ['--replicas', '2'], ['--watch-namespace', 'WATCHED', '--replicas', '2']]) {
      it(`pass a server-side dry-run apply (${scope.join(' ') || 'defaults'})`, async () => {
        // Given the manifests for a namespace of this test
        const objects = await manifests(['--namespace', namespace, '--image', 'registry.example.com/ke:9.9.9', ...scope.map((a) => (a === 'WATCHED' ? watched : a))])

        // When the API server dry-runs them (validation, defaulting and admission, nothing stored)
        const answered = await apply(objects, 'All')

        // Then it takes every one, as written
        assert.deepEqual(
          answered.map((o) => `${o.kind}/${o.metadata?.name}`),
          objects.map((o) => `${o.kind}/${o.metadata?.name}`),
        )
        const deployment = answered.find((o) => o.kind === 'Deployment') as Manifest
        assert.equal(deployment.spec.template.spec.containers[0].image, 'registry.example.com/ke:9.9.9')
        // the CRD kept its schema keywords (the condition enum, the preserved options), as the server read them
        const crd = answered[0] as Manifest
        const schema = crd.spec.versions[0].schema.openAPIV3Schema.properties
        assert.deepEqual(schema.status.properties.conditions.items.properties.status._enum ?? schema.status.properties.conditions.items.properties.status.enum, ['True', 'False', 'Unknown'])
        assert.equal(await kube.admin().makeApiClient(CoreV1Api).readNamespacedServiceAccount({name: 'ke-controller', namespace}).then(() => 'stored', () => 'not stored'), 'not stored')
      })
    }

    it('grant the controller what it needs in the watched namespace and nothing more (real RBAC)', async () => {
      // Given the ServiceAccount and RBAC of a --watch-namespace install, applied for real
      const objects = await manifests(['--namespace', namespace, '--watch-namespace', watched, '--replicas', '2'])
      await apply(objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind!)), undefined)
      const reviews = kube.admin().makeApiClient(AuthorizationV1Api)
      const may = async (verb: string, resource: string, opts: {group?: string; subresource?: string; ns?: string} = {}) => {
        const {status} = await reviews.createSubjectAccessReview({
          body: {
            spec: {
              user: `system:serviceaccount:${namespace}:ke-controller`,
              groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
              resourceAttributes: {verb, resource, group: opts.group ?? '', subresource: opts.subresource, namespace: opts.ns ?? watched},
            },
          },
        })
        return status?.allowed === true
      }

      // Then it may do its work there
      for (const verb of ['get', 'list', 'watch', 'update', 'patch']) {
        assert.equal(await may(verb, 'clusters', {group: 'ke.io'}), true, `${verb} clusters`)
        assert.equal(await may(verb, 'clusters', {group: 'ke.io', subresource: 'status'}), true, `${verb} clusters/status`)
      }
      assert.equal(await may('update', 'clusters', {group: 'ke.io', subresource: 'finalizers'}), true)
      for (const verb of ['get', 'create', 'update', 'delete']) assert.equal(await may(verb, 'secrets'), true, `${verb} secrets`)
      for (const verb of ['get', 'create', 'update', 'delete']) assert.equal(await may(verb, 'leases', {group: 'coordination.k8s.io'}), true, `${verb} leases`)
      assert.equal(await may('create', 'events'), true)
      // and keep its leader Lease in its own namespace
      assert.equal(await may('update', 'leases', {group: 'coordination.k8s.io', ns: namespace}), true)

      // And nothing more: no deleting or creating Cluster objects, no pods, no Secrets of other namespaces, no CRDs
      assert.equal(await may('delete', 'clusters', {group: 'ke.io'}), false)
      assert.equal(await may('create', 'clusters', {group: 'ke.io'}), false)
      assert.equal(await may('get', 'pods'), false)
      assert.equal(await may('get', 'secrets', {ns: 'kube-system'}), false)
      assert.equal(await may('get', 'secrets', {ns: namespace}), false)
      assert.equal(await may('create', 'customresourcedefinitions', {group: 'apiextensions.k8s.io', ns: ''}), false)
    })
  })
})

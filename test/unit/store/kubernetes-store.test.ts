// KubernetesStore (issue 15) against the REAL API server of the test run (test/support/kubernetes.ts):
// optimistic concurrency, owner references, the garbage collector, Leases and RBAC are Kubernetes' own.
// Each test works in its own namespace; the CRD is applied once (as `ke store init` does; idempotent).
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CoordinationV1Api, CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api, V1MicroTime, type KubeConfig} from '@kubernetes/client-node'
import {KeError} from '../../../src/errors.js'
import {emptyClusterInfo} from '../../../src/protocol/types.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {aClusterRecord} from '../../support/records.js'
import {isUnreadable} from '../../../src/store/cluster-store.js'
import {initStore} from '../../../src/store/kubernetes/init.js'
import {KubernetesStore} from '../../../src/store/kubernetes/kubernetes-store.js'
import {ROOT, waitFor} from '../../support/ke.js'
import {exists, kubeConfigAs, kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../../support/kubernetes.js'

const TOKEN = 'token-VALUE-4f1e9a'
const CLIENT_KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nKEY-VALUE-77c2\n-----END EC PRIVATE KEY-----\n').toString('base64')
const STATE = '{"project":"p1","apiKey":"STATE-VALUE-90ab"}'
const SECRET_OPTION = 'OPTION-VALUE-5d3c'

function aRecord(name: string): ClusterRecord {
  const at = '2026-11-30T10:00:00.000Z'
  return aClusterRecord(name, {
    at,
    displayName: 'Demo cluster',
    options: {region: 'eu-1', 'node-count': 3, tags: ['a', 'b'], debug: true, 'access-key': SECRET_OPTION},
    keyStyle: 'both',
    info: {
      ...emptyClusterInfo(),
      endpoint: 'https://10.1.2.3:6443',
      version: 'v1.32.1',
      nodeCount: 3,
      serviceAccountToken: TOKEN,
      clientKey: CLIENT_KEY,
      metadata: {state: STATE, region: 'eu-1'},
      status: 'running',
    },
    history: [
      {at, status: 'Pre-Creating', command: 'create'},
      {at, status: 'Running', command: 'create'},
    ],
  })
}

async function rejectsWith(work: Promise<unknown>, code: string): Promise<KeError> {
  try {
    await work
  } catch (error) {
    assert.ok(error instanceof KeError, `expected a KeError ${code}, got ${String((error as Error).stack ?? error)}`)
    assert.equal(error.keCode, code, error.message)
    return error
  }
  assert.fail(`expected ${code}, but it succeeded`)
}

describe('Kubernetes store › against the real API server', needsKubernetes, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  let objects: CustomObjectsApi
  let leases: CoordinationV1Api
  const namespaces: string[] = []
  const logDir = mkdtempSync(join(tmpdir(), 'ke-kstore-logs-'))

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
    objects = kube.admin().makeApiClient(CustomObjectsApi)
    leases = kube.admin().makeApiClient(CoordinationV1Api)
    await initStore({kc: kube.admin(), namespace: 'default', label: 'kubernetes:test'})
  })

  after(async () => {
    for (const name of namespaces) await core.deleteNamespace({name}).catch(() => {})
  })

  async function aNamespace(): Promise<string> {
    const name = uniqueName('kstore')
    await core.createNamespace({body: {metadata: {name}}})
    namespaces.push(name)
    return name
  }

  function storeIn(namespace: string, kc: KubeConfig = kube.admin()): Promise<KubernetesStore> {
    return KubernetesStore.open({kc, namespace, label: `kubernetes:test/${namespace}`}, {logDir})
  }

  async function clusterObject(namespace: string, name: string): Promise<any> {
    return objects.getNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', name})
  }

  describe('records', () => {
    it('round-trips a record whole, with the token, keys, state and secret options only in Secrets the Cluster owns', async () => {
      // Given a record with a token, a client key, a state and a secret option
      const namespace = await aNamespace()
      const name = uniqueName('rt')
      const saved = await (await storeIn(namespace)).save(aRecord(name))

      // When another store (another machine) loads it
      const loaded = await (await storeIn(namespace)).load(name)

      // Then it is the record as saved
      assert.deepEqual(loaded, saved)
      assert.equal(loaded.info?.serviceAccountToken, TOKEN)

      // And the Cluster object (what `kubectl get clusters.ke.io -o yaml` shows) holds no secret
      const object = await clusterObject(namespace, name)
      const shown = JSON.stringify(object)
      for (const secret of [TOKEN, CLIENT_KEY, 'KEY-VALUE', 'STATE-VALUE', SECRET_OPTION]) assert.ok(!shown.includes(secret), `the Cluster object shows ${secret}: ${shown}`)
      assert.deepEqual(object.spec.options, {region: 'eu-1', 'node-count': 3, tags: ['a', 'b'], debug: true})
      assert.deepEqual(object.spec.optionsFrom, [{secretRef: {name: `${name}-options`}}])
      assert.deepEqual(
        {phase: object.status.phase, endpoint: object.status.endpoint, version: object.status.version, nodeCount: object.status.nodeCount},
        {phase: 'Running', endpoint: 'https://10.1.2.3:6443', version: 'v1.32.1', nodeCount: 3},
      )
      assert.deepEqual(object.status.conditions.map((c: any) => [c.type, c.status]), [['Provisioned', 'True'], ['Ready', 'True']])
      assert.deepEqual([...new Set(object.metadata.managedFields.map((f: any) => f.manager))], ['ke'])

      // And the Secrets are owned by the Cluster; the kubeconfig one follows Cluster API's convention
      for (const secretName of [`${name}-info`, `${name}-options`, `${name}-kubeconfig`]) {
        const secret = await core.readNamespacedSecret({name: secretName, namespace})
        assert.deepEqual(secret.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Cluster', name, object.metadata.uid]], secretName)
      }
      const kubeconfig = await core.readNamespacedSecret({name: `${name}-kubeconfig`, namespace})
      assert.match(Buffer.from(kubeconfig.data!.value, 'base64').toString(), new RegExp(`token: ${TOKEN}`))
      assert.equal(kubeconfig.metadata?.labels?.['cluster.x-k8s.io/cluster-name'], name)
    })

    it('puts a record as given (store migrate): updatedAt and schemaVersion kept, history capped at the newest 50', async () => {
      // Given a record stamped long ago with 60 history entries
      const namespace = await aNamespace()
      const name = uniqueName('put')
      const history = Array.from({length: 60}, (_, i) => ({at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), status: 'Running' as const, command: `update ${i}`}))
      const given = {...aRecord(name), updatedAt: '2026-01-02T03:04:05.678Z', history}

      // When it is put, and read by another store
      const put = await (await storeIn(namespace)).put(given)
      const loaded = await (await storeIn(namespace)).load(name)

      // Then it reads back as given but for the 10 oldest history entries, and put said so
      const expected = {...given, history: history.slice(10)}
      assert.deepEqual([put, loaded], [expected, expected])
      assert.equal((await storeIn(namespace)).historyLimit, 50)
    })

    it('lists clusters from the Cluster objects, sorted, with endpoint, version and nodes', async () => {
      const namespace = await aNamespace()
      const store = await storeIn(namespace)
      await store.save({...aRecord('zeta'), status: 'Error', reason: 'quota exceeded'})
      await store.save(aRecord('alpha'))

      const listed = await (await storeIn(namespace)).list()

      assert.deepEqual(listed, [
        {name: 'alpha', driver: {ref: 'sample', display: 'sample'}, status: 'Running', info: {endpoint: 'https://10.1.2.3:6443', version: 'v1.32.1', nodeCount: 3}},
        {name: 'zeta', driver: {ref: 'sample', display: 'sample'}, status: 'Error', reason: 'quota exceeded', info: {endpoint: 'https://10.1.2.3:6443', version: 'v1.32.1', nodeCount: 3}},
      ])
    })

    it('says a missing cluster is not found, and delete removes the record and its Secrets (idempotent)', async () => {
      const namespace = await aNamespace()
      const store = await storeIn(namespace)
      const name = uniqueName('del')
      await store.save(aRecord(name))

      await store.delete(name)
      await store.delete(name)

      assert.equal(await store.exists(name), false)
      const error = await rejectsWith(store.load(name), 'CLUSTER_NOT_FOUND')
      assert.equal(error.message, `cluster ${name} not found`)
      assert.equal(await exists(() => core.readNamespacedSecret({name: `${name}-info`, namespace})), false)
      assert.equal(await exists(() => core.readNamespacedSecret({name: `${name}-kubeconfig`, namespace})), false)
    })

    it('Secrets go with the Cluster when it is deleted by hand (garbage collector)', async () => {
      // Given a stored cluster
      const namespace = await aNamespace()
      const name = uniqueName('gc')
      await (await storeIn(namespace)).save(aRecord(name))

      // When its Cluster object is deleted as `kubectl delete clusters.ke.io NAME` does
      await objects.deleteNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', name})

      // Then Kubernetes' garbage collector removes the Secrets it owned
      await waitFor(async () => !(await exists(() => core.readNamespacedSecret({name: `${name}-info`, namespace}))), 'the info Secret to be collected', 60_000)
      await waitFor(async () => !(await exists(() => core.readNamespacedSecret({name: `${name}-kubeconfig`, namespace}))), 'the kubeconfig Secret to be collected', 60_000)
    })
  })

  describe('two writers (resourceVersion)', () => {
    it('re-applies a write that lost the race on top of the other: both changes are kept', async () => {
      // Given two stores (two machines) that read the same record
      const namespace = await aNamespace()
      const name = uniqueName('race')
      await (await storeIn(namespace)).save(aRecord(name))
      const [first, second] = [await storeIn(namespace), await storeIn(namespace)]
      const [a, b] = [await first.load(name), await second.load(name)]

      // When the first moves it to Updating with new info, and the second, not knowing, changes an option
      const at = '2026-11-30T11:00:00.000Z'
      await first.save({...a, status: 'Updating', info: {...a.info!, nodeCount: 5}, history: [...a.history, {at, status: 'Updating', command: 'update'}]})
      await second.save({...b, options: {...b.options, region: 'eu-2'}, history: [...b.history, {at: '2026-11-30T11:00:01.000Z', status: 'Running', command: 'label'}]})

      // Then nothing is lost: the stored record has both changes and both history entries
      const stored = await (await storeIn(namespace)).load(name)
      assert.equal(stored.status, 'Updating')
      assert.equal(stored.info?.nodeCount, 5)
      assert.equal(stored.options.region, 'eu-2')
      assert.equal(stored.options['access-key'], SECRET_OPTION)
      assert.deepEqual(stored.history.map((h) => h.command), ['create', 'create', 'update', 'label'])
    })

    it('reports, and does not overwrite, when both changed the same thing', async () => {
      const namespace = await aNamespace()
      const name = uniqueName('clash')
      await (await storeIn(namespace)).save(aRecord(name))
      const [first, second] = [await storeIn(namespace), await storeIn(namespace)]
      const [a, b] = [await first.load(name), await second.load(name)]

      await first.save({...a, displayName: 'from the first'})
      const error = await rejectsWith(second.save({...b, displayName: 'from the second'}), 'CLUSTER_BUSY')

      assert.equal(error.exitCode, 4)
      assert.equal(error.message, `cluster ${name} was changed by another ke meanwhile (both changed its displayName); nothing was overwritten`)
      assert.equal((await (await storeIn(namespace)).load(name)).displayName, 'from the first')
    })
  })

  describe('locks (Leases)', () => {
    it('a second lock is busy at once, naming the holder; release frees it', async () => {
      // Given one ke holding the lock of a cluster
      const namespace = await aNamespace()
      const [first, second] = [await storeIn(namespace), await storeIn(namespace)]
      const release = await first.lock('demo', 'ke create demo')

      // When another asks for it
      const error = await rejectsWith(second.lock('demo', 'ke rm demo'), 'CLUSTER_BUSY')

      // Then it is refused with exit 4, naming host, pid and command of the holder
      assert.equal(error.exitCode, 4)
      assert.equal(error.message, `cluster demo is busy (held by ${hostname()}/${process.pid}/ke create demo)`)
      await rejectsWith(second.assertNotBusy('demo'), 'CLUSTER_BUSY')
      assert.equal(await second.isHeldByLiveHolder('demo'), true)

      // When the holder releases it, the Lease is gone and the other takes it
      await release()
      await release()
      assert.equal(await exists(() => leases.readNamespacedLease({name: 'demo-lock', namespace})), false)
      assert.equal(await second.isHeldByLiveHolder('demo'), false)
      await (await second.lock('demo', 'ke rm demo'))()
    })

    it('renews the Lease while it is held', async () => {
      const namespace = await aNamespace()
      const release = await (await storeIn(namespace)).lock('renewed', 'ke create renewed')
      try {
        const first = (await leases.readNamespacedLease({name: 'renewed-lock', namespace})).spec?.renewTime
        await waitFor(async () => {
          const now = (await leases.readNamespacedLease({name: 'renewed-lock', namespace})).spec?.renewTime
          return String(now) !== String(first)
        }, 'the Lease to be renewed', 30_000)
      } finally {
        await release()
      }
    })

    async function foreignLease(namespace: string, name: string, renewedSecondsAgo: number): Promise<void> {
      const renewed = new V1MicroTime(Date.now() - renewedSecondsAgo * 1000)
      await leases.createNamespacedLease({
        namespace,
        body: {metadata: {name: `${name}-lock`}, spec: {holderIdentity: 'ci-runner-7/4242/ke create x', leaseDurationSeconds: 15, acquireTime: renewed, renewTime: renewed}},
      })
    }

    it('a live holder on another machine keeps its Lease', async () => {
      const namespace = await aNamespace()
      await foreignLease(namespace, 'held', 0)

      const error = await rejectsWith((await storeIn(namespace)).lock('held', 'ke rm held'), 'CLUSTER_BUSY')

      assert.equal(error.message, 'cluster held is busy (held by ci-runner-7/4242/ke create x)')
    })

    it('takes over at once the Lease of a ke on this machine that was killed (kill -9)', async () => {
      // Given another ke process holding the lock (through the kubeconfig, as a user's ke finds it)
      const namespace = await aNamespace()
      const script = [
        `import {KubernetesStore} from ${JSON.stringify(join(ROOT, 'src/store/kubernetes/kubernetes-store.ts'))}`,
        `const store = await KubernetesStore.connect({kind: 'kubernetes', namespace: ${JSON.stringify(namespace)}}, process.env, {logDir: ${JSON.stringify(logDir)}})`,
        `await store.lock('killed', 'ke create killed')`,
        `console.log('locked')`,
        `setInterval(() => {}, 1000)`,
      ].join('\n')
      const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: ROOT, env: {...process.env, KUBECONFIG: kube.kubeconfigPath}, stdio: ['ignore', 'pipe', 'inherit']})
      let out = ''
      holder.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
      const exited = new Promise((resolve) => holder.once('exit', resolve))
      try {
        await waitFor(() => out.includes('locked') || holder.exitCode !== null, 'the holder to lock', 60_000)
        const store = await storeIn(namespace)
        const error = await rejectsWith(store.lock('killed', 'ke rm killed'), 'CLUSTER_BUSY')
        assert.equal(error.message, `cluster killed is busy (held by ${hostname()}/${holder.pid}/ke create killed)`)

        // When it is killed without a chance to release
        holder.kill('SIGKILL')
        await exited

        // Then the next ke takes the lock at once, without waiting for the Lease to run out
        const release = await store.lock('killed', 'ke rm killed')
        const lease = await leases.readNamespacedLease({name: 'killed-lock', namespace})
        assert.equal(lease.spec?.holderIdentity, `${hostname()}/${process.pid}/ke rm killed`)
        await release()
      } finally {
        holder.kill('SIGKILL')
      }
    })

    it('takes over the expired Lease of a holder that died', async () => {
      // Given a Lease whose holder stopped renewing it a minute ago (kill -9, runner gone)
      const namespace = await aNamespace()
      await foreignLease(namespace, 'orphan', 60)
      const store = await storeIn(namespace)
      assert.equal(await store.isHeldByLiveHolder('orphan'), false)

      // When ke locks the cluster
      const release = await store.lock('orphan', 'ke create orphan')

      // Then the Lease is ours
      const lease = await leases.readNamespacedLease({name: 'orphan-lock', namespace})
      assert.equal(lease.spec?.holderIdentity, `${hostname()}/${process.pid}/ke create orphan`)
      await release()
    })
  })

  it('a user who may read Clusters but not Secrets can list, and load fails with the 403 in one line', async () => {
    // Given a cluster, and a service account allowed to get and list Clusters only
    const namespace = await aNamespace()
    const name = uniqueName('rbac')
    await (await storeIn(namespace)).save(aRecord(name))
    const rbac = kube.admin().makeApiClient(RbacAuthorizationV1Api)
    await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'reader'}}})
    await rbac.createNamespacedRole({namespace, body: {metadata: {name: 'reader'}, rules: [{apiGroups: ['ke.io'], resources: ['clusters'], verbs: ['get', 'list']}]}})
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {metadata: {name: 'reader'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader'}, subjects: [{kind: 'ServiceAccount', name: 'reader', namespace}]},
    })
    const {status} = await core.createNamespacedServiceAccountToken({name: 'reader', namespace, body: {spec: {audiences: [], expirationSeconds: 600}}})
    const reader = await storeIn(namespace, kubeConfigAs(kube, {token: status!.token}))

    // When it lists and loads
    const listed = await reader.list()
    const error = await rejectsWith(reader.load(name), 'ACCESS_FAILED')

    // Then the list shows the cluster; the load names the Secret and the API server's 403, in one line
    assert.deepEqual(listed.map((entry) => [entry.name, isUnreadable(entry) ? 'unreadable' : entry.status]), [[name, 'Running']])
    assert.equal(
      error.message,
      `Kubernetes store kubernetes:test/${namespace}: cannot get Secret ${name}-info (403 Forbidden: secrets "${name}-info" is forbidden: ` +
        `User "system:serviceaccount:${namespace}:reader" cannot get resource "secrets" in API group "" in the namespace "${namespace}")`,
    )
    assert.ok(!error.message.includes('\n'))
  })

  describe('the Cluster CRD', () => {
    const apply = (namespace: string, body: object) =>
      objects.createNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', body: {apiVersion: 'ke.io/v1alpha1', kind: 'Cluster', ...body}})

    it('rejects a Cluster whose field has the wrong type', async () => {
      const namespace = await aNamespace()

      const error = await apply(namespace, {metadata: {name: 'bad'}, spec: {driver: {name: 42}, keyStyle: 'both'}}).then(
        () => assert.fail('the API server accepted spec.driver.name: 42'),
        (e: {code?: number; body?: string}) => e,
      )

      assert.equal(error.code, 422)
      assert.match(JSON.parse(String(error.body)).message, /spec\.driver\.name: Invalid value: "integer": spec\.driver\.name in body must be of type string/)
    })

    it('prunes a field it does not declare, so no secret can be parked in a Cluster', async () => {
      const namespace = await aNamespace()

      await apply(namespace, {metadata: {name: 'pruned'}, spec: {driver: {name: 'sample'}, token: TOKEN}})

      const object = await clusterObject(namespace, 'pruned')
      assert.deepEqual(object.spec, {driver: {name: 'sample'}})
    })

    it("keeps options from a user's own optionsFrom Secret secret, whatever their names, when ke saves the record", async () => {
      // Given a Cluster applied by hand whose option `pat` comes from the user's Secret
      const namespace = await aNamespace()
      await core.createNamespacedSecret({namespace, body: {metadata: {name: 'creds'}, stringData: {pat: 'PAT-VALUE-1'}}})
      await apply(namespace, {metadata: {name: 'declared'}, spec: {driver: {name: 'sample'}, options: {region: 'eu-1'}, optionsFrom: [{secretRef: {name: 'creds'}}]}})
      const store = await storeIn(namespace)
      const record = await store.load('declared')
      assert.deepEqual(record.options, {region: 'eu-1', pat: 'PAT-VALUE-1'})

      // When ke saves it with a new status, and later with a new value of `pat`
      await store.save({...record, status: 'Pre-Creating'})
      const kept = await clusterObject(namespace, 'declared')
      await store.save({...(await store.load('declared')), options: {region: 'eu-1', pat: 'PAT-VALUE-2'}})

      // Then the Cluster never shows the value: first it still points at the user's Secret, then at ke's
      assert.deepEqual(kept.spec.optionsFrom, [{secretRef: {name: 'creds'}}])
      const changed = await clusterObject(namespace, 'declared')
      for (const object of [kept, changed]) assert.ok(!JSON.stringify(object).includes('PAT-VALUE'), JSON.stringify(object))
      assert.deepEqual(changed.spec.optionsFrom, [{secretRef: {name: 'declared-options'}}])
      assert.deepEqual((await (await storeIn(namespace)).load('declared')).options, {region: 'eu-1', pat: 'PAT-VALUE-2'})
    })

    it('reads a Cluster applied by hand, with no status yet, as Init', async () => {
      const namespace = await aNamespace()
      await apply(namespace, {metadata: {name: 'by-hand'}, spec: {driver: {name: 'sample'}, options: {region: 'eu-1'}}})

      const record = await (await storeIn(namespace)).load('by-hand')

      assert.deepEqual([record.status, record.driver.ref, record.options, record.info], ['Init', 'sample', {region: 'eu-1'}, undefined])
    })
  })
})

// EventRecorder (issue 15) against the REAL API server: the Events it writes are what
// `kubectl describe cluster.ke.io NAME` shows, and writing one never fails an operation.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api, type CoreV1Event} from '@kubernetes/client-node'
import {emptyClusterInfo} from '../../../src/protocol/types.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {aClusterRecord} from '../../support/records.js'
import {EventRecorder, MAX_MESSAGE_BYTES, truncateBytes} from '../../../src/store/kubernetes/events.js'
import {initStore} from '../../../src/store/kubernetes/init.js'
import {KubernetesStore} from '../../../src/store/kubernetes/kubernetes-store.js'
import {kubeConfigAs, kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../../support/kubernetes.js'

describe('truncateBytes', () => {
  it('keeps short text and cuts long text to the byte limit without splitting a character', () => {
    assert.equal(truncateBytes('short', 10), 'short')
    const cut = truncateBytes('é'.repeat(20), 11)
    assert.ok(Buffer.byteLength(cut) <= 11, cut)
    assert.equal(cut, 'éééé…')
  })
})

describe('EventRecorder › against the real API server', needsKubernetes, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  const namespaces: string[] = []

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
  })

  after(async () => {
    for (const name of namespaces) await core.deleteNamespace({name}).catch(() => {})
  })

  async function aNamespace(): Promise<string> {
    const name = uniqueName('ke-events')
    await core.createNamespace({body: {metadata: {name}}})
    namespaces.push(name)
    return name
  }

  async function eventsOf(namespace: string, cluster: string): Promise<CoreV1Event[]> {
    const {items} = await core.listNamespacedEvent({namespace, fieldSelector: `involvedObject.name=${cluster}`})
    return items
  }

  it('writes a core/v1 Event about the Cluster, named <cluster>.<hex>, from the component', async () => {
    // Given a namespace
    const namespace = await aNamespace()

    // When ke records a failure and then a success
    const recorder = new EventRecorder(core, 'ke')
    await recorder.emit(namespace, {name: 'demo', uid: '6f1c2b1e-0000-4000-8000-000000000001'}, {type: 'Warning', reason: 'CreateFailed', message: 'driver said: quota exceeded'})
    await recorder.emit(namespace, {name: 'demo'}, {type: 'Normal', reason: 'Created', message: 'cluster demo is Running'})

    // Then both Events are there, about the Cluster demo, as kubectl shows them
    const events = await eventsOf(namespace, 'demo')
    assert.equal(events.length, 2)
    const failed = events.find((event) => event.reason === 'CreateFailed')!
    assert.match(failed.metadata!.name!, /^demo\.[0-9a-f]{16}$/)
    assert.deepEqual(
      {...failed.involvedObject},
      {apiVersion: 'ke.io/v1alpha1', kind: 'Cluster', name: 'demo', namespace, uid: '6f1c2b1e-0000-4000-8000-000000000001'},
    )
    assert.equal(failed.type, 'Warning')
    assert.equal(failed.message, 'driver said: quota exceeded')
    assert.equal(failed.source?.component, 'ke')
    assert.equal(failed.reportingComponent, 'ke')
    assert.equal(failed.count, 1)
    assert.ok(failed.firstTimestamp && failed.lastTimestamp && failed.eventTime)
    const created = events.find((event) => event.reason === 'Created')!
    assert.equal(created.type, 'Normal')
    assert.notEqual(created.metadata!.name, failed.metadata!.name)
  })

  it('truncates a long message to what the API server accepts', async () => {
    const namespace = await aNamespace()

    await new EventRecorder(core, 'ke-controller').emit(namespace, {name: 'big'}, {type: 'Warning', reason: 'UpdateFailed', message: `failed\n${'log line\n'.repeat(500)}`})

    const [event] = await eventsOf(namespace, 'big')
    assert.ok(event, 'the Event was written')
    assert.ok(Buffer.byteLength(event.message!) <= MAX_MESSAGE_BYTES)
    assert.match(event.message!, /^failed\nlog line\n/)
    assert.match(event.message!, /…$/)
    assert.equal(event.reportingComponent, 'ke-controller')
  })

  it('never throws: a user without the right to write Events (403) and a server that is gone are ignored', async () => {
    // Given a service account that may do nothing at all in the namespace
    const namespace = await aNamespace()
    await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'nobody'}}})
    const rbac = kube.admin().makeApiClient(RbacAuthorizationV1Api)
    await rbac.createNamespacedRole({namespace, body: {metadata: {name: 'nobody'}, rules: [{apiGroups: ['ke.io'], resources: ['clusters'], verbs: ['get']}]}})
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {metadata: {name: 'nobody'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nobody'}, subjects: [{kind: 'ServiceAccount', name: 'nobody', namespace}]},
    })
    const {status} = await core.createNamespacedServiceAccountToken({name: 'nobody', namespace, body: {spec: {audiences: [], expirationSeconds: 600}}})
    const forbidden = kubeConfigAs(kube, {token: status!.token}).makeApiClient(CoreV1Api)
    // a port nothing listens on: the connection is refused
    const gone = kubeConfigAs(kube, {token: status!.token}, {server: 'https://127.0.0.1:1'}).makeApiClient(CoreV1Api)

    // When each emits, Then neither throws and no Event was written
    await new EventRecorder(forbidden, 'ke').emit(namespace, {name: 'demo'}, {type: 'Warning', reason: 'RemoveFailed', message: 'x'})
    await new EventRecorder(gone, 'ke').emit(namespace, {name: 'demo'}, {type: 'Warning', reason: 'RemoveFailed', message: 'x'})
    assert.deepEqual(await eventsOf(namespace, 'demo'), [])
  })

  describe('the store: status.lastError and report()', () => {
    const logDir = mkdtempSync(join(tmpdir(), 'ke-kevents-logs-'))

    function aRecord(name: string, changes: Partial<ClusterRecord> = {}): ClusterRecord {
      const at = '2026-12-01T10:00:00.000Z'
      return aClusterRecord(name, {
        at,
        status: 'Error',
        options: {region: 'eu-1'},
        info: {...emptyClusterInfo(), endpoint: 'https://10.1.2.3:6443', serviceAccountToken: 'token-VALUE-1b2c'},
        history: [{at, status: 'Error', command: 'create', reason: 'quota exceeded'}],
        ...changes,
      })
    }

    it('writes the reason and the log lines into status.lastError, and reads them back apart', async () => {
      // Given a store and a failed record with the driver log's last lines
      await initStore({kc: kube.admin(), namespace: 'default', label: 'kubernetes:test'})
      const namespace = await aNamespace()
      const store = await KubernetesStore.open({kc: kube.admin(), namespace, label: `kubernetes:test/${namespace}`}, {logDir})

      // When it is saved
      await store.save(aRecord('failed', {reason: 'quota exceeded', errorLog: 'level=info msg="creating"\nlevel=error msg="quota exceeded"'}))

      // Then status.lastError is the reason, a separator line and the log lines; the conditions carry the reason only
      const object = (await kube.admin().makeApiClient(CustomObjectsApi).getNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', name: 'failed'})) as any
      assert.equal(object.status.lastError, 'quota exceeded\n--- driver log, last lines ---\nlevel=info msg="creating"\nlevel=error msg="quota exceeded"')
      assert.equal(object.status.conditions.find((c: {type: string}) => c.type === 'Ready').message, 'quota exceeded')

      // and another ke reads the reason and the lines apart again, as ls does
      const other = await KubernetesStore.open({kc: kube.admin(), namespace, label: `kubernetes:test/${namespace}`}, {logDir})
      const loaded = await other.load('failed')
      assert.deepEqual([loaded.reason, loaded.errorLog], ['quota exceeded', 'level=info msg="creating"\nlevel=error msg="quota exceeded"'])
      assert.deepEqual((await other.list()).map((entry) => ('reason' in entry ? entry.reason : undefined)), ['quota exceeded'])
    })

    it('report() writes an Event about the Cluster with its uid, also once the Cluster was deleted', async () => {
      const namespace = await aNamespace()
      const store = await KubernetesStore.open({kc: kube.admin(), namespace, label: `kubernetes:test/${namespace}`}, {logDir, component: 'ke-controller'})
      await store.save(aRecord('gone', {status: 'Running'}))
      const uid = ((await kube.admin().makeApiClient(CustomObjectsApi).getNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', name: 'gone'})) as any).metadata.uid

      await store.report('gone', {type: 'Normal', reason: 'Updated', message: 'cluster gone is Running'})
      await store.delete('gone')
      await store.report('gone', {type: 'Normal', reason: 'Removed', message: 'cluster gone removed'})

      const events = await eventsOf(namespace, 'gone')
      assert.deepEqual(
        events.map((event) => [event.reason, event.type, event.involvedObject.uid, event.reportingComponent]).sort(),
        [
          ['Removed', 'Normal', uid, 'ke-controller'],
          ['Updated', 'Normal', uid, 'ke-controller'],
        ],
      )
    })
  })
})

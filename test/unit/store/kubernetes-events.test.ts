// EventRecorder (issue 15) against the REAL API server: the Events it writes are what
// `kubectl describe cluster.ke.io NAME` shows, and writing one never fails an operation.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {CoreV1Api, RbacAuthorizationV1Api, type CoreV1Event} from '@kubernetes/client-node'
import {EventRecorder, MAX_MESSAGE_BYTES, truncateBytes} from '../../../src/store/kubernetes/events.js'
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
})

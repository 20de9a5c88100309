// Cluster records in Kubernetes (issue 15): a `Cluster` object (ke.io/v1alpha1) per cluster, the
// driver's ClusterInfo and secret option values in Secrets it owns (garbage-collected with it), a
// `<name>-kubeconfig` Secret, and a Lease as its lock. Every write names the resourceVersion it
// read: on a 409 the record is re-read and ours re-applied (merge.ts), or the conflict reported.
import {basename, dirname, join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import type {CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, V1Secret} from '@kubernetes/client-node'
import {KeError} from '../../errors.js'
import {removeAllBut, removeTree} from '../../fs/atomic.js'
import {renderKubeConfig} from '../../kube/kubeconfig.js'
import type {ClusterInfo} from '../../protocol/types.js'
import {SCHEMA_VERSION, type ClusterRecord} from '../cluster-record.js'
import {withHistoryLimit, type ClusterStore, type ClusterSummary, type DeleteOptions, type OperationEvent, type Release, type UnreadableCluster} from '../cluster-store.js'
import {isClusterName, validateClusterName} from '../names.js'
import type {KubernetesStoreSpec} from '../store-spec.js'
import {isConflict, isMissingResourceType, isNotFound, missingNamespaceOf, namespaceMissing, notInitialized, REQUEST_TIMEOUT_MS, storeError} from './api-errors.js'
import {
  FINALIZER,
  fromClusterObject,
  HISTORY_LIMIT,
  infoSecretName,
  kubeconfigSecretName,
  MANAGED_BY,
  optionsSecretName,
  parseInfo,
  splitOptions,
  toClusterObject,
  toStatus,
  toSummary,
  type ClusterObject,
} from './cluster-object.js'
import {connectStore, type StoreTarget} from './connect.js'
import {EventRecorder} from './events.js'
import {API_VERSION, FIELD_MANAGER, GROUP, KIND, PLURAL, VERSION} from './crd.js'
import {busy, liveHolder, lockWithLease, type LeaseCalls} from './lease-lock.js'
import {reapply} from './merge.js'

/** A write that lost a race: re-read and re-apply at most this often before reporting. */
const MAX_ATTEMPTS = 5

/** What this store last read or wrote of a cluster: the base a write's resourceVersions name. */
interface Seen {
  object: ClusterObject
  record: ClusterRecord
  /** resourceVersion of each Secret the record has, by Secret name. */
  secrets: Map<string, string>
  /** Options whose values came from Secrets: never written into the Cluster. */
  secretOptionNames: ReadonlySet<string>
}

interface Apis {
  kc: KubeConfig
  events: EventRecorder
  objects: CustomObjectsApi
  core: CoreV1Api
  leases: CoordinationV1Api
  microTime: (at?: Date) => Date
  /** Call options that send a patch as a JSON merge patch. */
  mergePatch: unknown
}

export interface KubernetesStoreOptions {
  /** This machine's folder for driver logs (logs stay where the driver ran). */
  logDir: string
  /**
   * Set by `ke controller` (issue 16): the Cluster's spec and metadata are the user's and never written
   * (only status and owned Secrets are), status.observedGeneration is the generation the controller acts
   * on, and delete() leaves the object itself to the controller (it drops its finalizer).
   */
  reconciling?: {observedGeneration(name: string): number | undefined}
  /** Who writes the Events of report(): `ke` (the default) or `ke-controller`. */
  component?: string
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {name: 'TimeoutError'})), REQUEST_TIMEOUT_MS)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function decode(secret: V1Secret | undefined, key: string): string | undefined {
  const value = secret?.data?.[key]
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8')
}

function encode(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]))
}

export class KubernetesStore implements ClusterStore {
  readonly kind = 'kubernetes'
  readonly historyLimit = HISTORY_LIMIT
  private readonly seen = new Map<string, Seen>()
  /** The uid of each Cluster seen, kept after a delete: the Event that reports it names the object gone. */
  private readonly uids = new Map<string, string>()

  private constructor(
    private readonly apis: Apis,
    readonly namespace: string,
    /** `kubernetes:CONTEXT/NAMESPACE`, for messages. */
    readonly label: string,
    private readonly options: KubernetesStoreOptions,
  ) {}

  /** The store a spec names, through the kubeconfig kubectl would use (`env` supplies KUBECONFIG, HOME). */
  static async connect(spec: KubernetesStoreSpec, env: NodeJS.ProcessEnv, options: KubernetesStoreOptions): Promise<KubernetesStore> {
    return KubernetesStore.open(await connectStore(spec, env), options)
  }

  static async open(target: StoreTarget, options: KubernetesStoreOptions): Promise<KubernetesStore> {
    const {CoordinationV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, V1MicroTime, setHeaderOptions} = await import('@kubernetes/client-node')
    const {kc} = target
    const core = kc.makeApiClient(CoreV1Api)
    const apis: Apis = {
      kc,
      events: new EventRecorder(core, options.component ?? 'ke'),
      objects: kc.makeApiClient(CustomObjectsApi),
      core,
      leases: kc.makeApiClient(CoordinationV1Api),
      microTime: (at = new Date()) => new V1MicroTime(at.getTime()),
      mergePatch: setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    }
    return new KubernetesStore(apis, target.namespace, target.label, options)
  }

  /** One API call with a deadline; failures become one-line KeErrors, except those `passes` lets through. */
  private async call<T>(what: string, work: () => Promise<T>, passes: (error: unknown) => boolean = () => false): Promise<T> {
    try {
      return await withTimeout(work())
    } catch (error) {
      // a missing namespace is never the "not found" a caller lets through (that one is about an object)
      if (passes(error) && missingNamespaceOf(error) === undefined) throw error
      throw storeError(error, what, this.label, this.apis.kc.getCurrentCluster()?.server ?? '')
    }
  }

  private get leaseCalls(): LeaseCalls {
    return {api: this.apis.leases, namespace: this.namespace, call: (what, work, passes) => this.call(what, work, passes), microTime: this.apis.microTime}
  }

  private objectRef(name: string) {
    return {group: GROUP, version: VERSION, namespace: this.namespace, plural: PLURAL, name}
  }

  /** The Cluster object, or undefined when there is none (a missing CRD is an error, not "none"). */
  private async getObject(name: string): Promise<ClusterObject | undefined> {
    try {
      return (await this.call(`get Cluster ${name}`, () => this.apis.objects.getNamespacedCustomObject(this.objectRef(name)), isNotFound)) as ClusterObject
    } catch (error) {
      if (isMissingResourceType(error)) throw notInitialized(this.label)
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  private async getSecret(name: string): Promise<V1Secret | undefined> {
    try {
      return await this.call(`get Secret ${name}`, () => this.apis.core.readNamespacedSecret({name, namespace: this.namespace}), isNotFound)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  async exists(name: string): Promise<boolean> {
    return (await this.getObject(validateClusterName(name))) !== undefined
  }

  /** The record whole, as now stored, remembered as the base of the next save. */
  private async read(name: string): Promise<Seen | undefined> {
    const object = await this.getObject(name)
    if (!object) return undefined
    const secrets = new Map<string, string>()
    const infoSecret = await this.getSecret(infoSecretName(name))
    if (infoSecret) secrets.set(infoSecretName(name), infoSecret.metadata!.resourceVersion!)
    const secretOptions: Record<string, string> = {}
    for (const {secretRef} of object.spec.optionsFrom ?? []) {
      const secret = await this.getSecret(secretRef.name)
      // the controller reads the user's optionsFrom itself: a Secret deleted with its Cluster must not block Remove
      if (!secret && this.options.reconciling) continue
      if (!secret) throw new KeError('STATE_UNREADABLE', `state of ${name} is unreadable: its optionsFrom names Secret ${secretRef.name}, which does not exist`, {cluster: name})
      secrets.set(secretRef.name, secret.metadata!.resourceVersion!)
      for (const key of Object.keys(secret.data ?? {})) secretOptions[key] = decode(secret, key)!
    }
    const record = fromClusterObject(object, parseInfo(name, decode(infoSecret, 'info')), secretOptions)
    const seen = {object, record, secrets, secretOptionNames: new Set(Object.keys(secretOptions))}
    this.seen.set(name, seen)
    return seen
  }

  async load(name: string): Promise<ClusterRecord> {
    const seen = await this.read(validateClusterName(name))
    if (!seen) throw new KeError('CLUSTER_NOT_FOUND', `cluster ${name} not found`, {cluster: name, hint: `see \`ke ls\` for the clusters in ${this.label}`})
    return seen.record
  }

  async save(record: ClusterRecord): Promise<ClusterRecord> {
    return this.writeWhole({...record, schemaVersion: SCHEMA_VERSION, updatedAt: new Date().toISOString()})
  }

  async put(record: ClusterRecord): Promise<ClusterRecord> {
    return withHistoryLimit(await this.writeWhole(record), this.historyLimit)
  }

  private async writeWhole(record: ClusterRecord): Promise<ClusterRecord> {
    const name = validateClusterName(record.name)
    let wanted = record
    for (let attempt = 1; ; attempt++) {
      const base = this.seen.get(name)
      try {
        return base ? await this.write(wanted, base) : await this.create(wanted)
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw conflictError(error, name)
        const current = await this.read(name)
        if (!current) throw conflictError(error, name)
        // created by another writer meanwhile: ours never saw theirs, so it cannot be re-applied
        if (!base) throw new KeError('CLUSTER_EXISTS', `cluster ${name} was created by another ke meanwhile`, {cluster: name, hint: `see \`ke inspect ${name}\``})
        wanted = reapply(base.record, wanted, current.record)
      }
    }
  }

  private async create(record: ClusterRecord): Promise<ClusterRecord> {
    const body = toClusterObject(record, {namespace: this.namespace})
    const object = (await this.call(`create Cluster ${record.name}`, () =>
      this.apis.objects.createNamespacedCustomObject({group: GROUP, version: VERSION, namespace: this.namespace, plural: PLURAL, body, fieldManager: FIELD_MANAGER}), isConflict)) as ClusterObject
    const seen: Seen = {object, record: {...record, info: undefined, options: {}}, secrets: new Map(), secretOptionNames: new Set()}
    this.seen.set(record.name, seen)
    return this.write(record, seen)
  }

  /** Secrets first (what the driver returned matters most), then the spec, then the status. */
  private async write(record: ClusterRecord, base: Seen): Promise<ClusterRecord> {
    const owner = base.object
    const secrets = new Map(base.secrets)
    const {secret: secretOptions} = splitOptions(record.options, base.secretOptionNames)
    if (!isDeepStrictEqual(record.info, base.record.info)) {
      await this.putSecret(infoSecretName(record.name), record.info ? {info: JSON.stringify(record.info)} : undefined, owner, secrets)
      await this.putKubeconfig(record.name, record.info, owner)
    }
    const secretOptionsChanged = !isDeepStrictEqual(secretOptions, splitOptions(base.record.options, base.secretOptionNames).secret)
    if (secretOptionsChanged && !this.options.reconciling) {
      await this.putSecret(optionsSecretName(record.name), Object.keys(secretOptions).length > 0 ? secretOptions : undefined, owner, secrets)
    }
    let object = owner
    const wanted = toClusterObject(record, {...owner.metadata}, base.secretOptionNames)
    // unchanged secret options stay where they are (a user's own optionsFrom Secrets included)
    if (!secretOptionsChanged) wanted.spec = withOptionsFrom(wanted.spec, owner.spec.optionsFrom)
    const specChanged = !isDeepStrictEqual(wanted.spec, owner.spec) || !isDeepStrictEqual(wanted.metadata.annotations, owner.metadata.annotations)
    if (specChanged && !this.options.reconciling) {
      object = (await this.call(`update Cluster ${record.name}`, () =>
        this.apis.objects.replaceNamespacedCustomObject({...this.objectRef(record.name), body: {...wanted, status: owner.status}, fieldManager: FIELD_MANAGER}), isConflict)) as ClusterObject
    }
    const generation = this.options.reconciling ? this.options.reconciling.observedGeneration(record.name) : object.metadata.generation
    const status = toStatus(record, owner.status, generation)
    object = (await this.call(`update the status of Cluster ${record.name}`, () =>
      this.apis.objects.replaceNamespacedCustomObjectStatus({...this.objectRef(record.name), body: {...object, status}, fieldManager: FIELD_MANAGER}), isConflict)) as ClusterObject
    this.seen.set(record.name, {object, record, secrets, secretOptionNames: new Set([...base.secretOptionNames, ...Object.keys(secretOptions)])})
    return record
  }

  /** Creates, replaces (at the resourceVersion we read) or deletes one Secret the Cluster owns. */
  private async putSecret(secretName: string, data: Record<string, string> | undefined, owner: ClusterObject, versions: Map<string, string>): Promise<void> {
    const resourceVersion = versions.get(secretName)
    const namespace = this.namespace
    if (!data) {
      if (resourceVersion === undefined) return
      await this.call(`delete Secret ${secretName}`, () => this.apis.core.deleteNamespacedSecret({name: secretName, namespace, body: {preconditions: {resourceVersion}}}), isConflict).catch((error) => {
        if (!isNotFound(error)) throw error
      })
      versions.delete(secretName)
      return
    }
    const body = this.secretBody(secretName, data, owner, resourceVersion)
    const written =
      resourceVersion === undefined
        ? await this.call(`create Secret ${secretName}`, () => this.apis.core.createNamespacedSecret({namespace, body, fieldManager: FIELD_MANAGER}), isConflict)
        : await this.call(`update Secret ${secretName}`, () => this.apis.core.replaceNamespacedSecret({name: secretName, namespace, body, fieldManager: FIELD_MANAGER}), isConflict)
    versions.set(secretName, written.metadata!.resourceVersion!)
  }

  private secretBody(secretName: string, data: Record<string, string>, owner: ClusterObject, resourceVersion?: string, type = 'Opaque', labels: Record<string, string> = {}): V1Secret {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type,
      metadata: {
        name: secretName,
        namespace: this.namespace,
        labels: {...MANAGED_BY, 'ke.io/cluster': owner.metadata.name, ...labels},
        ownerReferences: [{apiVersion: API_VERSION, kind: KIND, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true}],
        ...(resourceVersion ? {resourceVersion} : {}),
      },
      data: encode(data),
    }
  }

  /** `<name>-kubeconfig`, key `value` (Cluster API's convention): derived from the info, so last writer wins. */
  private async putKubeconfig(name: string, info: ClusterInfo | undefined, owner: ClusterObject): Promise<void> {
    const secretName = kubeconfigSecretName(name)
    const namespace = this.namespace
    if (!info?.endpoint) {
      await this.deleteSecret(secretName)
      return
    }
    const body = this.secretBody(secretName, {value: await renderKubeConfig(name, info)}, owner, undefined, 'cluster.x-k8s.io/secret', {'cluster.x-k8s.io/cluster-name': name})
    try {
      await this.call(`create Secret ${secretName}`, () => this.apis.core.createNamespacedSecret({namespace, body, fieldManager: FIELD_MANAGER}), isConflict)
    } catch (error) {
      if (!isConflict(error)) throw error
      await this.call(`update Secret ${secretName}`, () => this.apis.core.replaceNamespacedSecret({name: secretName, namespace, body, fieldManager: FIELD_MANAGER}))
    }
  }

  private async deleteSecret(secretName: string): Promise<void> {
    await this.call(`delete Secret ${secretName}`, () => this.apis.core.deleteNamespacedSecret({name: secretName, namespace: this.namespace}), isNotFound).catch((error) => {
      if (!isNotFound(error)) throw error
    })
  }

  async delete(name: string, opts: DeleteOptions = {}): Promise<void> {
    validateClusterName(name)
    // the garbage collector would remove the Secrets too, but later: a new cluster of that name must not meet them
    for (const secretName of [infoSecretName(name), optionsSecretName(name), kubeconfigSecretName(name)]) await this.deleteSecret(secretName)
    if (!this.options.reconciling) {
      await this.call(`delete Cluster ${name}`, () => this.apis.objects.deleteNamespacedCustomObject(this.objectRef(name)), isNotFound).catch((error) => {
        if (isMissingResourceType(error)) throw notInitialized(this.label)
        if (!isNotFound(error)) throw error
      })
      // the CLI ran the driver's Remove (or migrate moved the record) under the Lease: the controller's
      // finalizer guards nothing more, and no controller may be running to drop it. Deleted first, so a
      // running controller does not add it back.
      await this.dropFinalizer(name)
    }
    const uid = this.seen.get(name)?.object.metadata.uid
    if (uid) this.uids.set(name, uid)
    this.seen.delete(name)
    // as the file store does: this machine's log and the kubeconfig `ke env` wrote (it holds the token)
    if (opts.keepLog) removeAllBut(dirname(this.logPath(name)), basename(this.logPath(name)))
    else removeTree(dirname(this.logPath(name)))
  }

  /** Drops the controller's finalizer (others stay) at the resourceVersion read; re-read on a conflict. */
  private async dropFinalizer(name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const object = (await this.getObject(name)) as (ClusterObject & {metadata: {finalizers?: string[]}}) | undefined
      const finalizers = object?.metadata.finalizers ?? []
      if (!object || !finalizers.includes(FINALIZER)) return
      const body = {metadata: {resourceVersion: object.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== FINALIZER)}}
      try {
        await this.call(`drop the finalizer of Cluster ${name}`, () =>
          this.apis.objects.patchNamespacedCustomObject({...this.objectRef(name), body, fieldManager: FIELD_MANAGER}, this.apis.mergePatch as never), (error) => isConflict(error) || isNotFound(error))
        return
      } catch (error) {
        if (isNotFound(error)) return
        if (attempt >= MAX_ATTEMPTS) throw conflictError(error, name)
      }
    }
  }

  async list(): Promise<Array<ClusterSummary | UnreadableCluster>> {
    const answer = (await this.call('list Clusters', () =>
      this.apis.objects.listNamespacedCustomObject({group: GROUP, version: VERSION, namespace: this.namespace, plural: PLURAL}))) as {items: ClusterObject[]}
    // the API server lists a namespace that does not exist as empty: a typo must not read as "no clusters"
    if (answer.items.length === 0) await this.assertNamespaceExists()
    return answer.items
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((object) => {
        try {
          return toSummary(object)
        } catch (error) {
          return {name: object.metadata.name, unreadable: error instanceof KeError ? error.message : String(error)}
        }
      })
  }

  /** Throws when the namespace does not exist; a user who may not read namespaces is not held up. */
  private async assertNamespaceExists(): Promise<void> {
    try {
      await withTimeout(this.apis.core.readNamespace({name: this.namespace}))
    } catch (error) {
      if (isNotFound(error)) throw namespaceMissing(this.label, this.namespace)
    }
  }

  async lock(name: string, command: string): Promise<Release> {
    return lockWithLease(this.leaseCalls, validateClusterName(name), command)
  }

  async assertNotBusy(name: string): Promise<void> {
    // callers may pass words from argv that are not names (flag values): those hold no lock
    const holder = isClusterName(name) ? await liveHolder(this.leaseCalls, name) : undefined
    if (holder) throw busy(name, holder)
  }

  async isHeldByLiveHolder(name: string): Promise<boolean> {
    return isClusterName(name) && (await liveHolder(this.leaseCalls, name)) !== undefined
  }

  logPath(name: string): string {
    return join(this.options.logDir, validateClusterName(name), 'driver.log')
  }

  /** An Event about the Cluster (`kubectl describe clusters.ke.io NAME` shows it); never throws. */
  async report(name: string, event: OperationEvent): Promise<void> {
    const uid = this.seen.get(name)?.object.metadata.uid ?? this.uids.get(name)
    await this.apis.events.emit(this.namespace, {name, ...(uid ? {uid} : {})}, event)
  }
}

function withOptionsFrom(spec: ClusterObject['spec'], optionsFrom: ClusterObject['spec']['optionsFrom']): ClusterObject['spec'] {
  const {optionsFrom: _dropped, ...rest} = spec
  return optionsFrom ? {...rest, optionsFrom} : rest
}

function conflictError(error: unknown, name: string): unknown {
  if (!isConflict(error)) return error
  return new KeError('CLUSTER_BUSY', `cluster ${name} kept being changed by another ke; nothing was overwritten`, {cluster: name, hint: 'run the command again'})
}

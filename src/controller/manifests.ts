// `ke controller manifests`: everything a cluster needs to run the controller, as one multi-document
// YAML for `kubectl apply -f -`: the Cluster CRD, a Namespace, a ServiceAccount, least-privilege RBAC
// and a Deployment with probes, resource limits and a locked-down security context.
import {KeError} from '../errors.js'
import {clusterCrd, GROUP, PLURAL} from '../store/kubernetes/crd.js'
import {isClusterName} from '../store/names.js'

export const CONTROLLER_NAME = 'ke-controller'
export const DEFAULT_NAMESPACE = 'ke-system'
export const PROBE_PORT = 8080
/** What `ke controller --shutdown-grace` waits by default; the pod gets more before the kubelet kills it. */
export const SHUTDOWN_GRACE_SECONDS = 30
const TERMINATION_GRACE_SECONDS = SHUTDOWN_GRACE_SECONDS + 15
/** The image's writable places: the root filesystem is read-only. */
const KE_HOME = '/var/lib/ke'

export interface ManifestOptions {
  /** Where the controller runs (its ServiceAccount, Deployment and leader Lease). */
  namespace: string
  image: string
  /** Which Cluster objects it reconciles: every namespace, or one. */
  watch: {allNamespaces: true} | {namespace: string}
  /** One works at a time (leader election); more are standbys that take over within a Lease's duration. */
  replicas: number
}

export type Manifest = Record<string, unknown> & {apiVersion: string; kind: string; metadata: {name: string; namespace?: string; labels?: Record<string, string>}}

const LABELS = {'app.kubernetes.io/name': CONTROLLER_NAME, 'app.kubernetes.io/part-of': 'ke', 'app.kubernetes.io/component': 'controller'}

/** Rules the controller needs, and no more: its own resource, Secrets it owns, cluster Leases, Events. */
function rules() {
  return [
    {apiGroups: [GROUP], resources: [PLURAL, `${PLURAL}/status`, `${PLURAL}/finalizers`], verbs: ['get', 'list', 'watch', 'update', 'patch']},
    {apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']},
    {apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'delete']},
    {apiGroups: [''], resources: ['events'], verbs: ['create', 'patch']},
  ]
}

const leaseRules = () => [{apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'delete']}]

function subject(opts: ManifestOptions) {
  return [{kind: 'ServiceAccount', name: CONTROLLER_NAME, namespace: opts.namespace}]
}

function rbac(opts: ManifestOptions): Manifest[] {
  const metadata = (namespace?: string) => ({name: CONTROLLER_NAME, ...(namespace ? {namespace} : {}), labels: LABELS})
  const rbacGroup = 'rbac.authorization.k8s.io'
  if ('allNamespaces' in opts.watch) {
    return [
      {apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: metadata(), rules: rules()},
      {apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRoleBinding', metadata: metadata(), roleRef: {apiGroup: rbacGroup, kind: 'ClusterRole', name: CONTROLLER_NAME}, subjects: subject(opts)},
    ]
  }
  const watched = opts.watch.namespace
  const objects: Manifest[] = [
    {apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: metadata(watched), rules: rules()},
    {apiVersion: `${rbacGroup}/v1`, kind: 'RoleBinding', metadata: metadata(watched), roleRef: {apiGroup: rbacGroup, kind: 'Role', name: CONTROLLER_NAME}, subjects: subject(opts)},
  ]
  if (watched !== opts.namespace) {
    // the leader Lease lives beside the controller, not among the clusters
    const name = `${CONTROLLER_NAME}-leader-election`
    objects.push(
      {apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: {...metadata(opts.namespace), name}, rules: leaseRules()},
      {apiVersion: `${rbacGroup}/v1`, kind: 'RoleBinding', metadata: {...metadata(opts.namespace), name}, roleRef: {apiGroup: rbacGroup, kind: 'Role', name}, subjects: subject(opts)},
    )
  }
  return objects
}

/** The `ke controller` command line the container runs. */
export function controllerArgs(opts: ManifestOptions): string[] {
  const scope = 'allNamespaces' in opts.watch ? ['--all-namespaces'] : ['--namespace', opts.watch.namespace]
  // leader election is on by default; its Lease lives beside the controller, whatever it watches
  return ['controller', ...scope, '--lease-namespace', '$(POD_NAMESPACE)', '--probe-address', `:${PROBE_PORT}`, '--log-format', 'json']
}

function deployment(opts: ManifestOptions): Manifest {
  const probe = (path: string, periodSeconds: number) => ({httpGet: {path, port: 'http'}, periodSeconds, timeoutSeconds: 3, failureThreshold: 3})
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: CONTROLLER_NAME, namespace: opts.namespace, labels: LABELS},
    spec: {
      replicas: opts.replicas,
      selector: {matchLabels: {'app.kubernetes.io/name': CONTROLLER_NAME}},
      // the new pod waits for the leader Lease, which the old one releases when it stops: no gap, never two at work
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}},
      template: {
        metadata: {labels: LABELS, annotations: {'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PROBE_PORT), 'prometheus.io/path': '/metrics'}},
        spec: {
          serviceAccountName: CONTROLLER_NAME,
          // in-flight driver calls get --shutdown-grace, then drivers are stopped; the kubelet waits longer
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: {type: 'RuntimeDefault'}},
          containers: [
            {
              name: 'controller',
              image: opts.image,
              imagePullPolicy: 'IfNotPresent',
              args: controllerArgs(opts),
              env: [
                {name: 'KE_HOME', value: KE_HOME},
                {name: 'HOME', value: KE_HOME},
                {name: 'POD_NAMESPACE', valueFrom: {fieldRef: {fieldPath: 'metadata.namespace'}}},
              ],
              ports: [{name: 'http', containerPort: PROBE_PORT, protocol: 'TCP'}],
              livenessProbe: {...probe('/healthz', 10), initialDelaySeconds: 5},
              readinessProbe: probe('/readyz', 5),
              // drivers run as child processes of this container: the limit covers a few of them
              resources: {requests: {cpu: '100m', memory: '256Mi'}, limits: {cpu: '2', memory: '1Gi'}},
              securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ['ALL']}},
              volumeMounts: [
                {name: 'ke-home', mountPath: KE_HOME},
                {name: 'tmp', mountPath: '/tmp'},
              ],
            },
          ],
          volumes: [
            {name: 'ke-home', emptyDir: {}},
            {name: 'tmp', emptyDir: {}},
          ],
        },
      },
    },
  }
}

/** client-node's model spells a few schema keywords as identifiers: back to the names the API server reads. */
function apiServerKey(key: string): string {
  if (key === '_enum' || key === '_default') return key.slice(1)
  if (key.startsWith('x_kubernetes_')) return key.replaceAll('_', '-')
  return key
}

/**
 * The CRD as YAML must spell it. Not client-node's serializer: it leaves the typed keys inside `items`
 * (typed `any`) as they are, so the condition `enum` would be dropped.
 */
function withApiServerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withApiServerKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [apiServerKey(key), withApiServerKeys(inner)]))
}

/** The objects, in the order `kubectl apply` should create them. */
export function controllerManifests(opts: ManifestOptions): Manifest[] {
  const namespace: Manifest[] = ['default', 'kube-system'].includes(opts.namespace) ? [] : [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: opts.namespace, labels: LABELS}}]
  return [
    withApiServerKeys(clusterCrd()) as Manifest,
    ...namespace,
    {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: CONTROLLER_NAME, namespace: opts.namespace, labels: LABELS}},
    ...rbac(opts),
    deployment(opts),
  ]
}

/** One YAML document each, `---` between. yaml is loaded here: every command oclif runs reads the file this module is bundled in. */
export async function renderManifests(objects: Manifest[]): Promise<string> {
  const {stringify} = await import('yaml')
  return objects.map((object) => stringify(object, {lineWidth: 0, aliasDuplicateObjects: false})).join('---\n')
}

/** A namespace name is a DNS label, the same rule as a cluster name. */
export function validateNamespace(name: string, flag: string): string {
  if (isClusterName(name)) return name
  throw new KeError('BAD_FLAG', `${flag} ${JSON.stringify(name)} is not a namespace name: lower-case letters, digits and "-", at most 63`, {hint: `e.g. ${flag} ke-system`})
}

// An HTTPS stand-in of the Kubernetes API on 127.0.0.1, for tests of code that talks to a cluster.
//
// It answers the way the real API server does for the calls ke makes: objects as JSON, errors as
// `Status` objects (kind Status, status Failure, reason AlreadyExists / NotFound / Forbidden /
// Unauthorized / MethodNotAllowed / BadRequest, and the matching code). It is in-memory and small:
//
// - GET /version, /healthz, /livez, /readyz (the last three answer `ok`);
// - create (POST), get, list and delete of the resources in RESOURCES below, cluster-scoped or namespaced,
//   under /api/v1/... and /apis/<group>/<version>/...; `generateName` is honoured;
// - POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews (allowed unless the `forbidden` lever
//   says otherwise);
// - a "namespace controller": every namespace gets service account `default` and config map
//   `kube-root-ca.crt`, and deleting a namespace deletes what is in it;
// - a "token controller": a Secret of type kubernetes.io/service-account-token annotated
//   kubernetes.io/service-account.name gets data.token / ca.crt / namespace after `tokenFillDelayMs`
//   (or never), provided the service account exists; the token then authenticates against the stand-in.
//
// Authentication: a bearer token from `tokens` (or a filled service-account token); a wrong token is 401,
// no token is the anonymous user, who may only read /version and the health paths (403 otherwise).
// Not supported: update / patch / watch, label or field selectors, client-certificate authentication.
//
// Certificates: a fresh CA and a server certificate for 127.0.0.1 / localhost are made with `openssl`
// for each stand-in, in a temporary directory removed by close().
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {KubeConfig} from '@kubernetes/client-node'

const run = promisify(execFile)

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    generateName?: string
    uid?: string
    resourceVersion?: string
    creationTimestamp?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    [key: string]: unknown
  }
  [key: string]: unknown
}

export interface ForbiddenRule {
  /** Kubernetes verb: create, get, list, delete, ... or '*'. */
  verb: string
  /** Plural resource name, e.g. 'clusterrolebindings', or '*'. */
  resource: string
}

export interface KubeStandinLevers {
  /** Bearer tokens accepted as the (cluster-admin) user `standin-admin`. */
  tokens: string[]
  /** Requests matching a rule get 403 Forbidden (after authentication succeeds). */
  forbidden: ForbiddenRule[]
  /** Delay before the token controller fills a token Secret; 'never' leaves it empty. */
  tokenFillDelayMs: number | 'never'
}

export interface KubeStandinOptions {
  /** Accepted bearer tokens; the first is returned as `token`. Default: one fixed admin token. */
  tokens?: string[]
  forbidden?: ForbiddenRule[]
  /** Default 0: filled on the next turn of the event loop, as a fast controller would. */
  tokenFillDelayMs?: number | 'never'
  /** Objects present from the start (namespaces also get their `default` account and CA config map). */
  objects?: KubeObject[]
  /** Number of nodes listed by GET /api/v1/nodes. Default 3. */
  nodes?: number
  /** gitVersion answered by GET /version. Default v1.30.2. */
  version?: string
}

export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  /** Query string without the '?', '' when none. */
  query: string
  /** Parsed JSON body, when there was one. */
  body?: unknown
  /** The bearer token presented, when there was one. */
  token?: string
  /** The status code answered. */
  status: number
}

export interface KubeConfigParams {
  /** Default: the stand-in's URL. */
  server?: string
  /** Default: the stand-in's admin token. `null` for no user credentials. */
  token?: string | null
  /** PEM of the CA to trust. Default: the stand-in's CA. `null` to put no CA in the kubeconfig. */
  caPem?: string | null
  skipTLSVerify?: boolean
  /** Name used for the cluster, user and context. Default 'standin'. */
  name?: string
}

export interface KubeStandin {
  /** https://127.0.0.1:<port> */
  url: string
  caPem: string
  caFile: string
  /** The first accepted admin token. */
  token: string
  requests: RecordedRequest[]
  /** The store, keyed `<resource>/<name>` (cluster-scoped) or `<resource>/<namespace>/<name>`. */
  objects: Map<string, KubeObject>
  /** Change these while running to change how the stand-in answers. */
  levers: KubeStandinLevers
  /** A KubeConfig for this stand-in (client-node object, not written anywhere). */
  kubeConfig(params?: KubeConfigParams): KubeConfig
  /** Writes a kubeconfig file for this stand-in (via KubeConfig.exportConfig) and returns its path. */
  writeKubeconfig(file: string, params?: KubeConfigParams): Promise<string>
  /** Requests whose method and path match, e.g. `requestsTo('POST', '/api/v1/namespaces')`. */
  requestsTo(method: string, path: string): RecordedRequest[]
  close(): Promise<void>
}

interface ResourceInfo {
  kind: string
  group: string
  version: string
  namespaced: boolean
}

const RESOURCES: Record<string, ResourceInfo> = {
  namespaces: {kind: 'Namespace', group: '', version: 'v1', namespaced: false},
  nodes: {kind: 'Node', group: '', version: 'v1', namespaced: false},
  serviceaccounts: {kind: 'ServiceAccount', group: '', version: 'v1', namespaced: true},
  secrets: {kind: 'Secret', group: '', version: 'v1', namespaced: true},
  configmaps: {kind: 'ConfigMap', group: '', version: 'v1', namespaced: true},
  pods: {kind: 'Pod', group: '', version: 'v1', namespaced: true},
  services: {kind: 'Service', group: '', version: 'v1', namespaced: true},
  persistentvolumeclaims: {kind: 'PersistentVolumeClaim', group: '', version: 'v1', namespaced: true},
  clusterroles: {kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false},
  clusterrolebindings: {kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false},
  deployments: {kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true},
  statefulsets: {kind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true},
  daemonsets: {kind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true},
}

const ADMIN_USER = 'standin-admin'
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token'
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name'
const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid'
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz'])
/** A fixed timestamp keeps answers deterministic. */
const CREATED_AT = '2024-01-01T00:00:00Z'

/** A self-signed CA (PEM) unrelated to any stand-in: for "certificate not trusted" tests. */
export async function generateUnrelatedCaPem(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-standin-ca-'))
  try {
    await makeCa(dir, 'unrelated-ca')
    return await readFile(join(dir, 'ca.crt'), 'utf8')
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/** A KubeConfig for any server (e.g. one that is not running), built with client-node. */
export function buildKubeConfig(params: KubeConfigParams & {server: string}): KubeConfig {
  const name = params.name ?? 'standin'
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: params.server,
        ...(params.caPem ? {caData: Buffer.from(params.caPem).toString('base64')} : {}),
        ...(params.skipTLSVerify ? {skipTLSVerify: true} : {}),
      },
    ],
    users: [{name, ...(params.token ? {token: params.token} : {})}],
    contexts: [{name, cluster: name, user: name}],
    currentContext: name,
  })
  return kc
}

/** Writes `kc` to `file` with KubeConfig.exportConfig (kubeconfig files are never written by hand). */
export async function writeKubeConfigFile(file: string, kc: KubeConfig): Promise<string> {
  await writeFile(file, kc.exportConfig(), {mode: 0o600})
  return file
}

export async function startKubeStandin(opts: KubeStandinOptions = {}): Promise<KubeStandin> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-standin-'))
  const {caPem, certPem, keyPem} = await makeServerCerts(dir)
  const caFile = join(dir, 'ca.crt')

  const levers: KubeStandinLevers = {
    tokens: [...(opts.tokens ?? ['standin-admin-token'])],
    forbidden: [...(opts.forbidden ?? [])],
    tokenFillDelayMs: opts.tokenFillDelayMs ?? 0,
  }
  if (levers.tokens.length === 0) throw new Error('startKubeStandin: tokens must not be empty')
  const version = opts.version ?? 'v1.30.2'
  const objects = new Map<string, KubeObject>()
  const requests: RecordedRequest[] = []
  /** Tokens the token controller has issued, to the service-account user they authenticate. */
  const issued = new Map<string, string>()
  const timers = new Set<NodeJS.Timeout>()
  let counter = 0

  const keyOf = (resource: string, namespace: string | undefined, name: string) =>
    RESOURCES[resource]!.namespaced ? `${resource}/${namespace}/${name}` : `${resource}/${name}`

  function store(resource: string, object: KubeObject, namespace?: string): KubeObject {
    const info = RESOURCES[resource]!
    counter++
    const stored: KubeObject = {
      ...structuredClone(object),
      apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
      kind: info.kind,
    }
    stored.metadata = {
      ...stored.metadata,
      ...(info.namespaced ? {namespace} : {}),
      uid: stored.metadata.uid ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
      resourceVersion: String(counter),
      creationTimestamp: stored.metadata.creationTimestamp ?? CREATED_AT,
    }
    if (!info.namespaced) delete stored.metadata.namespace
    objects.set(keyOf(resource, namespace, stored.metadata.name), stored)
    afterCreate(resource, stored)
    return stored
  }

  /** What the controllers of a real cluster do after an object appears. */
  function afterCreate(resource: string, object: KubeObject): void {
    const {name, namespace} = object.metadata
    if (resource === 'namespaces') {
      object.status = {phase: 'Active'}
      if (!objects.has(keyOf('serviceaccounts', name, 'default'))) {
        store('serviceaccounts', {metadata: {name: 'default'}}, name)
      }
      if (!objects.has(keyOf('configmaps', name, 'kube-root-ca.crt'))) {
        store('configmaps', {metadata: {name: 'kube-root-ca.crt'}, data: {'ca.crt': caPem}}, name)
      }
    }
    if (resource === 'secrets' && object.type === SA_TOKEN_TYPE) {
      const data = object.data as Record<string, string> | undefined
      if (!data?.token) scheduleTokenFill(namespace!, name, object.metadata.uid!)
    }
  }

  function scheduleTokenFill(namespace: string, name: string, uid: string): void {
    const delay = levers.tokenFillDelayMs
    if (delay === 'never') return
    const timer = setTimeout(() => {
      timers.delete(timer)
      const secret = objects.get(keyOf('secrets', namespace, name))
      if (!secret || secret.metadata.uid !== uid) return
      const account = secret.metadata.annotations?.[SA_NAME_ANNOTATION]
      const sa = account ? objects.get(keyOf('serviceaccounts', namespace, account)) : undefined
      if (!sa) return
      const token = `standin-sa-token.${namespace}.${account}.${uid.slice(-4)}`
      issued.set(token, `system:serviceaccount:${namespace}:${account}`)
      counter++
      secret.metadata.resourceVersion = String(counter)
      secret.metadata.annotations = {...secret.metadata.annotations, [SA_UID_ANNOTATION]: sa.metadata.uid!}
      secret.data = {
        ...(secret.data as Record<string, string> | undefined),
        token: b64(token),
        'ca.crt': b64(caPem),
        namespace: b64(namespace),
      }
    }, delay)
    timers.add(timer)
  }

  for (const name of BUILT_IN_NAMESPACES) store('namespaces', {metadata: {name}})
  store('clusterroles', {
    metadata: {name: 'cluster-admin'},
    rules: [
      {apiGroups: ['*'], resources: ['*'], verbs: ['*']},
      {nonResourceURLs: ['*'], verbs: ['*']},
    ],
  })
  for (let i = 1; i <= (opts.nodes ?? 3); i++) {
    store('nodes', {
      metadata: {name: `standin-node-${i}`},
      status: {conditions: [{type: 'Ready', status: 'True'}], nodeInfo: {kubeletVersion: version}},
    })
  }
  // Namespaces first, so that namespaced objects find theirs.
  const preset = [...(opts.objects ?? [])].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'))
  for (const object of preset) {
    const resource = Object.keys(RESOURCES).find((r) => RESOURCES[r]!.kind === object.kind)
    if (!resource) throw new Error(`startKubeStandin: unsupported kind ${object.kind}`)
    const namespace = RESOURCES[resource]!.namespaced ? (object.metadata.namespace ?? 'default') : undefined
    const existing = objects.get(keyOf(resource, namespace, object.metadata.name))
    // A preset replaces a built-in of the same name (e.g. its own `default` service account).
    if (existing) objects.delete(keyOf(resource, namespace, object.metadata.name))
    store(resource, object, namespace)
  }

  function user(token: string | undefined): string | undefined {
    if (token === undefined) return 'system:anonymous'
    if (levers.tokens.includes(token)) return ADMIN_USER
    return issued.get(token)
  }

  function isForbidden(verb: string, resource: string): boolean {
    return levers.forbidden.some((r) => (r.verb === '*' || r.verb === verb) && (r.resource === '*' || r.resource === resource))
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const method = record.method
    const path = record.path
    const send = (status: number, body: unknown) => {
      record.status = status
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      res.writeHead(status, {'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'})
      res.end(text)
    }
    const fail = (code: number, reason: string, message: string, details?: Record<string, unknown>) =>
      send(code, {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? {details} : {}), code})

    const raw = await readBody(req)
    if (raw.length > 0) {
      try {
        record.body = JSON.parse(raw)
      } catch {
        return fail(400, 'BadRequest', 'the body of the request was not valid JSON')
      }
    }

    const who = user(record.token)
    if (who === undefined) return fail(401, 'Unauthorized', 'Unauthorized')
    if (PUBLIC_PATHS.has(path) && method === 'GET') {
      if (path !== '/version') return send(200, 'ok')
      const [major, minor] = version.replace(/^v/, '').split('.')
      return send(200, {
        major,
        minor,
        gitVersion: version,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: CREATED_AT,
        goVersion: 'go1.22.4',
        compiler: 'gc',
        platform: 'linux/amd64',
      })
    }

    const route = parsePath(path)
    if (!route) return fail(404, 'NotFound', 'the server could not find the requested resource', {})

    if (route.resource === 'selfsubjectaccessreviews' && route.group === 'authorization.k8s.io' && !route.name && !route.namespace) {
      if (method !== 'POST') return fail(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
      const spec = ((record.body as {spec?: unknown} | undefined)?.spec ?? {}) as {resourceAttributes?: {verb?: string; resource?: string}}
      const attrs = spec.resourceAttributes ?? {}
      const allowed = who !== 'system:anonymous' && !isForbidden(attrs.verb ?? '', attrs.resource ?? '')
      return send(201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: {creationTimestamp: null},
        spec,
        status: allowed ? {allowed: true, reason: 'stand-in: allowed'} : {allowed: false, reason: 'stand-in: forbidden'},
      })
    }

    const info = RESOURCES[route.resource]
    if (!info || info.group !== route.group || info.version !== route.version || info.namespaced !== (route.namespace !== undefined)) {
      return fail(404, 'NotFound', 'the server could not find the requested resource', {})
    }
    const verb =
      method === 'GET' ? (route.name ? 'get' : 'list') : method === 'POST' && !route.name ? 'create' : method === 'DELETE' && route.name ? 'delete' : ''
    if (!verb) return fail(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
    const qualified = info.group ? `${route.resource}.${info.group}` : route.resource
    if (who === 'system:anonymous' || isForbidden(verb, route.resource)) {
      const target = route.name ? `${qualified} "${route.name}"` : qualified
      const scope = route.namespace ? `in the namespace "${route.namespace}"` : 'at the cluster scope'
      return fail(
        403,
        'Forbidden',
        `${target} is forbidden: User "${who}" cannot ${verb} resource "${route.resource}" in API group "${info.group}" ${scope}`,
        {...(route.name ? {name: route.name} : {}), group: info.group, kind: route.resource},
      )
    }
    const ns = route.namespace
    if (ns !== undefined && verb === 'create' && !objects.has(keyOf('namespaces', undefined, ns))) {
      return fail(404, 'NotFound', `namespaces "${ns}" not found`, {name: ns, kind: 'namespaces'})
    }

    if (verb === 'list') {
      const prefix = ns !== undefined ? `${route.resource}/${ns}/` : `${route.resource}/`
      const items = [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, object]) => object)
      return send(200, {
        kind: `${info.kind}List`,
        apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
        metadata: {resourceVersion: String(counter)},
        items,
      })
    }

    if (verb === 'create') {
      const body = record.body as KubeObject | undefined
      if (!body || typeof body !== 'object' || !body.metadata || typeof body.metadata !== 'object') {
        return fail(400, 'BadRequest', 'the body of the request must be an object with metadata')
      }
      let name = body.metadata.name
      if (!name && body.metadata.generateName) name = `${body.metadata.generateName}${(counter + 1).toString(36).padStart(5, 'x')}`
      if (!name) return fail(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`)
      if (objects.has(keyOf(route.resource, ns, name))) {
        return fail(409, 'AlreadyExists', `${qualified} "${name}" already exists`, {name, group: info.group, kind: route.resource})
      }
      const created = store(route.resource, {...body, metadata: {...body.metadata, name}}, ns)
      return send(201, created)
    }

    const key = keyOf(route.resource, ns, route.name!)
    const existing = objects.get(key)
    if (!existing) {
      return fail(404, 'NotFound', `${qualified} "${route.name}" not found`, {name: route.name, group: info.group, kind: route.resource})
    }
    if (verb === 'get') return send(200, existing)

    // delete
    objects.delete(key)
    if (route.resource === 'namespaces') {
      for (const k of [...objects.keys()]) {
        const [resource, namespace] = k.split('/')
        if (RESOURCES[resource!]?.namespaced && namespace === route.name) objects.delete(k)
      }
      return send(200, {...existing, status: {phase: 'Terminating'}})
    }
    return send(200, existing)
  }

  const server: Server = createServer({cert: certPem, key: keyPem}, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    const auth = req.headers.authorization
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      status: 0,
      ...(auth?.startsWith('Bearer ') ? {token: auth.slice('Bearer '.length)} : auth ? {token: auth} : {}),
    }
    requests.push(record)
    handle(req, res, record).catch((err: unknown) => {
      record.status = 500
      if (!res.headersSent) res.writeHead(500, {'content-type': 'application/json'})
      res.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', message: String(err), code: 500}))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`

  const standin: KubeStandin = {
    url,
    caPem,
    caFile,
    token: levers.tokens[0]!,
    requests,
    objects,
    levers,
    kubeConfig: (params = {}) =>
      buildKubeConfig({
        ...params,
        server: params.server ?? url,
        token: params.token === undefined ? levers.tokens[0]! : params.token,
        caPem: params.caPem === undefined ? caPem : params.caPem,
      }),
    writeKubeconfig: (file, params) => writeKubeConfigFile(file, standin.kubeConfig(params)),
    requestsTo: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await rm(dir, {recursive: true, force: true})
    },
  }
  return standin
}

interface Route {
  group: string
  version: string
  namespace?: string
  resource: string
  name?: string
}

/** /api/v1/[namespaces/NS/]RESOURCE[/NAME] or /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME] */
function parsePath(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  let group: string
  let version: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = ''
    version = 'v1'
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!
    version = parts[2]!
    rest = parts.slice(3)
  } else {
    return undefined
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    if (rest.length > 4) return undefined
    return {group, version, namespace: rest[1], resource: rest[2]!, ...(rest[3] ? {name: rest[3]} : {})}
  }
  if (rest.length === 0 || rest.length > 2) return undefined
  return {group, version, resource: rest[0]!, ...(rest[1] ? {name: rest[1]} : {})}
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

async function makeCa(dir: string, cn: string): Promise<void> {
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ])
}

async function makeServerCerts(dir: string): Promise<{caPem: string; certPem: string; keyPem: string}> {
  await makeCa(dir, 'kube-standin-ca')
  await run('openssl', [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=kube-apiserver',
  ])
  await writeFile(
    join(dir, 'server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  )
  await run('openssl', [
    'x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-CAcreateserial', '-out', join(dir, 'server.crt'), '-days', '2', '-extfile', join(dir, 'server.ext'),
  ])
  const [caPem, certPem, keyPem] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key'].map((file) => readFile(join(dir, file), 'utf8')),
  )
  return {caPem: caPem!, certPem: certPem!, keyPem: keyPem!}
}

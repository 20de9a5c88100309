// The built-in `import` driver (issue 11), run by the built `ke` against an HTTPS stand-in of the
// Kubernetes API on 127.0.0.1 (test/support/kube-standin.ts): no real cluster is involved.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CoreV1Api, KubeConfig} from '@kubernetes/client-node'
import {loadProto} from '../../src/driver/proto.js'
import {toWireInfo} from '../../src/driver/wire.js'
import {
  generateUnrelatedCaPem,
  startKubeStandin,
  writeKubeConfigFile,
  type KubeConfigParams,
  type KubeStandin,
  type KubeStandinOptions,
} from '../support/kube-standin.js'
import {ROOT, clusterExists, makeHome, readCluster, runKe, runKeJson, waitFor, type KeResult} from '../support/ke.js'

const ADMIN_TOKEN = 'stand-in-admin-secret-7f3a'
const OURS = [
  'clusterrolebindings/system-netes-default-clusterRoleBinding',
  'serviceaccounts/cattle-system/kontainer-engine',
  'secrets/cattle-system/kontainer-engine-token',
]

/** One imported-cluster world: a stand-in, a KE_HOME, and the user's directory holding the kubeconfig. */
interface World {
  standin: KubeStandin
  home: string
  /** The user's working directory: ke runs here, the kubeconfig is `kubeconfig.yaml` in it. */
  cwd: string
  kubeconfig: string
  ke(args: string[]): Promise<KeResult>
  keJson(args: string[]): Promise<KeResult & {json: any}>
  dispose(): Promise<void>
}

async function makeWorld(standinOptions: KubeStandinOptions = {}, params: KubeConfigParams = {}): Promise<World> {
  const standin = await startKubeStandin({tokens: [ADMIN_TOKEN], ...standinOptions})
  const {home, dispose} = makeHome('ke-import-')
  const cwd = mkdtempSync(join(tmpdir(), 'ke-import-user-'))
  const kubeconfig = await standin.writeKubeconfig(join(cwd, 'kubeconfig.yaml'), params)
  return {
    standin,
    home,
    cwd,
    kubeconfig,
    ke: (args) => runKe(args, {home, cwd}),
    keJson: (args) => runKeJson(args, {home, cwd}),
    dispose: async () => {
      await standin.close()
      dispose()
      rmSync(cwd, {recursive: true, force: true})
    },
  }
}

function keys(standin: KubeStandin): string[] {
  return [...standin.objects.keys()].sort()
}

/** The token the stand-in's token controller wrote into our Secret. */
function issuedToken(standin: KubeStandin): string {
  const secret = standin.objects.get('secrets/cattle-system/kontainer-engine-token')
  const encoded = (secret?.data as Record<string, string> | undefined)?.token
  assert.ok(encoded, 'the stand-in filled no token')
  return Buffer.from(encoded, 'base64').toString('utf8')
}

/** A driver failure: exit 1, the message on stderr in one Error line, no stack trace. */
function assertFails(result: KeResult, message: RegExp): void {
  assert.equal(result.code, 1, `expected exit 1\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  assert.match(result.stderr, message)
  assert.equal(result.stderr.split('\n').filter((line) => line.startsWith('Error:')).length, 1, result.stderr)
  assert.doesNotMatch(result.stderr, /\n\s+at /)
  assert.ok(!result.stderr.includes(ADMIN_TOKEN) && !result.stdout.includes(ADMIN_TOKEN), 'the admin token leaked')
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('import driver › lifecycle against the stand-in', () => {
  let world: World
  let created: KeResult & {json: any}

  before(async () => {
    world = await makeWorld({nodes: 4, version: 'v1.29.7'})
    // a path relative to the user's working directory, as typed at a prompt
    created = await world.keJson(['create', '--driver', 'import', '--kubeconfig', 'kubeconfig.yaml', 'imp'])
  })

  after(() => world.dispose())

  it('create against the stand-in ends Running with its endpoint, version and node count', () => {
    // Given a stand-in with 4 nodes at v1.29.7, imported by `ke create --driver import`
    // Then ke reports the cluster Running with what the stand-in answered
    assert.equal(created.code, 0, created.stderr)
    const cluster = created.json.cluster
    assert.equal(cluster.status, 'Running')
    assert.equal(cluster.info.endpoint, world.standin.url)
    assert.equal(cluster.info.version, 'v1.29.7')
    assert.equal(cluster.info.nodeCount, 4)
    assert.equal(cluster.info.serviceAccountToken, '<redacted>')
  })

  it('create against the stand-in stores the CA and, in metadata.state, only the absolute kubeconfig path and context', () => {
    // Given the imported stand-in
    // When the stored record is read
    const record = readCluster(world.home, 'imp')
    const file = readFileSync(join(world.home, 'clusters', 'imp', 'cluster.json'), 'utf8')

    // Then the CA is the stand-in's, and the state names where the cluster is, not how to log in
    assert.equal(Buffer.from(record.info.rootCaCertificate, 'base64').toString('utf8'), world.standin.caPem)
    assert.deepEqual(JSON.parse(record.info.metadata.state), {kubeconfig: world.kubeconfig, context: 'standin', tokenWaitSeconds: 30})
    assert.ok(!file.includes(ADMIN_TOKEN), 'the admin token of the kubeconfig is in cluster.json')
    assert.equal(record.info.username, '')
    assert.equal(record.info.clientKey, '')
  })

  it('PostCheck against the stand-in made the service account, its cluster-admin binding and token Secret', () => {
    // Given the imported stand-in
    // Then cattle-system holds ke's account, bound to cluster-admin, with a token the stand-in issued
    for (const key of OURS) assert.ok(world.standin.objects.has(key), `${key} missing`)
    const binding = world.standin.objects.get(OURS[0]!) as any
    assert.equal(binding.roleRef.name, 'cluster-admin')
    assert.deepEqual(binding.subjects, [{kind: 'ServiceAccount', name: 'kontainer-engine', namespace: 'cattle-system'}])
    assert.match(issuedToken(world.standin), /^standin-sa-token\.cattle-system\.kontainer-engine\./)
  })

  it('ls against the stand-in lists the imported cluster as Running with version and nodes', async () => {
    // Given the imported stand-in
    // When the clusters are listed
    const result = await world.ke(['ls'])

    // Then its row shows the driver, version, endpoint, node count and status
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`imp\\s+import\\s+v1\\.29\\.7\\s+${escape(world.standin.url)}\\s+4\\s+Running`))
  })

  it('inspect against the stand-in shows the record with the service-account token redacted', async () => {
    // Given the imported stand-in
    // When it is inspected
    const result = await world.keJson(['inspect', 'imp'])

    // Then the token never appears, only its placeholder
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.driver.ref, 'import')
    assert.equal(result.json.info.serviceAccountToken, '<redacted>')
    assert.ok(!result.stdout.includes(issuedToken(world.standin)))
    assert.ok(!result.stdout.includes(ADMIN_TOKEN))
  })

  it('version get and size get against the stand-in read the server version and count its nodes', async () => {
    // Given the imported stand-in, which then gains a node
    world.standin.objects.set('nodes/standin-node-5', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'standin-node-5'}})

    // When version and size are read
    const version = await world.keJson(['version', 'get', 'imp'])
    const size = await world.keJson(['size', 'get', 'imp'])
    world.standin.objects.delete('nodes/standin-node-5')

    // Then they are the stand-in's answers now, read with the service-account token
    assert.equal(version.code, 0, version.stderr)
    assert.equal(version.json.version, 'v1.29.7')
    assert.equal(size.code, 0, size.stderr)
    assert.equal(size.json.nodeCount, 5)
    const listed = world.standin.requestsTo('GET', '/api/v1/nodes').at(-1)
    assert.equal(listed?.token, issuedToken(world.standin))
  })

  it('capabilities against the stand-in claim reading version and size only', async () => {
    // Given the imported stand-in
    // When its driver's capabilities are read
    const result = await world.keJson(['capabilities', 'imp'])

    // Then only the two reads are claimed
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json.capabilities, {getVersion: true, setVersion: false, getClusterSize: true, setClusterSize: false, etcdBackup: false})
  })

  it('ke kubeconfig of the stand-in authenticates with the issued service-account token, not the admin token', async () => {
    // Given the imported stand-in
    // When the cluster's kubeconfig is exported and used with client-node
    const result = await world.ke(['kubeconfig', 'imp'])
    assert.equal(result.code, 0, result.stderr)
    const kc = new KubeConfig()
    kc.loadFromString(result.stdout)
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace()

    // Then its user is the token the stand-in issued, and the stand-in accepted it
    const token = kc.getCurrentUser()?.token
    assert.equal(token, issuedToken(world.standin))
    assert.notEqual(token, ADMIN_TOKEN)
    assert.ok(!result.stdout.includes(ADMIN_TOKEN))
    assert.equal(kc.getCurrentCluster()?.server, world.standin.url)
    assert.ok(namespaces.items.some((ns) => ns.metadata?.name === 'cattle-system'))
    assert.equal(world.standin.requestsTo('GET', '/api/v1/namespaces').at(-1)?.token, token)
  })

  it('version set and size set against the stand-in are refused with a clear message', async () => {
    // Given the imported stand-in
    // When the user tries to change its version and its size
    const version = await world.ke(['version', 'set', 'imp', 'v1.31.0'])
    const size = await world.ke(['size', 'set', 'imp', '5'])

    // Then both are refused, and the stand-in saw no write
    assertFails(version, /driver import does not support changing the Kubernetes version/)
    assertFails(size, /driver import does not support changing the node count/)
    assert.equal(readCluster(world.home, 'imp').info.version, 'v1.29.7')
    assert.equal(readCluster(world.home, 'imp').info.nodeCount, 4)
  })

  it('ke update re-runs PostCheck against the stand-in idempotently: same token, nothing new', async () => {
    // Given the imported stand-in and what it holds now
    const token = issuedToken(world.standin)
    const now = keys(world.standin)

    // When PostCheck runs again through ke update
    const result = await world.keJson(['update', 'imp'])

    // Then the same account and token are reused, and no object was added
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.status, 'Running')
    assert.equal(issuedToken(world.standin), token)
    assert.deepEqual(keys(world.standin), now)
  })

  it('the driver log of the stand-in import carries neither the admin token nor the service-account token', () => {
    // Given the imported stand-in, after create, reads and update
    const log = readFileSync(join(world.home, 'clusters', 'imp', 'driver.log'), 'utf8')

    // Then no token is in the driver's log
    assert.match(log, /service account ready/)
    assert.ok(!log.includes(ADMIN_TOKEN))
    assert.ok(!log.includes(issuedToken(world.standin)))
  })

  it('the import driver itself refuses SetVersion and SetNodeCount from a host that calls them anyway (stand-in info)', async () => {
    // Given the import driver started directly, as Rancher would, and the stand-in cluster's stored info
    const info = toWireInfo(readCluster(world.home, 'imp').info)
    const driver = await startDriverDirectly()
    try {
      // When SetVersion and SetNodeCount are called without asking the capabilities first
      const version = await driver.call('SetVersion', {info, version: {version: 'v1.31.0'}})
      const size = await driver.call('SetNodeCount', {info, count: {count: 5}})

      // Then each is a driver error that says why
      assert.equal(version, 'the import driver cannot change the version of a cluster it did not create: upgrade it with the tool that made it')
      assert.equal(size, 'the import driver cannot change the node count of a cluster it did not create: resize it with the tool that made it')
    } finally {
      await driver.stop()
    }
  })

  it('rm against the stand-in deletes what PostCheck made and leaves the cluster as it was', async () => {
    // Given a stand-in of its own, imported (the shared one stays imported for the other tests)
    const own = await makeWorld()
    try {
      const keysBefore = keys(own.standin)
      assert.equal((await own.ke(['create', '--driver', 'import', '--kubeconfig', own.kubeconfig, 'imp'])).code, 0)

      // When the cluster is removed
      const result = await own.ke(['rm', '-y', 'imp'])

      // Then ke's record is gone and the stand-in holds exactly what it held before the import
      assert.equal(result.code, 0, result.stderr)
      assert.equal(clusterExists(own.home, 'imp'), false)
      assert.deepEqual(keys(own.standin), keysBefore)
    } finally {
      await own.dispose()
    }
  })
})

describe('import driver › re-running against the stand-in', () => {
  let world: World

  before(async () => {
    world = await makeWorld()
  })

  after(() => world.dispose())

  it('create after rm against the same stand-in imports it again with a working token', async () => {
    // Given a stand-in imported and removed once
    const args = ['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'again']
    const first = await world.ke(args)
    assert.equal(first.code, 0, first.stderr)
    const removed = await world.ke(['rm', '-y', 'again'])
    assert.equal(removed.code, 0, removed.stderr)

    // When it is imported again
    const result = await world.keJson(args)

    // Then it is Running and ke's kubeconfig works against the stand-in
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.status, 'Running')
    const exported = await world.ke(['kubeconfig', 'again'])
    assert.equal(exported.code, 0, exported.stderr)
    const kc = new KubeConfig()
    kc.loadFromString(exported.stdout)
    assert.equal(kc.getCurrentUser()?.token, issuedToken(world.standin))
    await kc.makeApiClient(CoreV1Api).listNamespace()
  })

  it('re-running create after a 403 from the stand-in is fixed finishes the import', async () => {
    // Given an import that failed in PostCheck because the user could not create the binding
    world.standin.levers.forbidden.push({verb: 'create', resource: 'clusterrolebindings'})
    const failed = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'retry'])
    assertFails(failed, /not allowed to create clusterrolebindings \(403 Forbidden\)/)
    assert.equal(readCluster(world.home, 'retry').status, 'Error')

    // When the rights are granted and create runs again
    world.standin.levers.forbidden.length = 0
    const result = await world.keJson(['create', 'retry'])

    // Then the import completes, reusing what the first attempt made
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.cluster.status, 'Running')
    for (const key of OURS) assert.ok(world.standin.objects.has(key), `${key} missing`)
    assert.equal((await world.ke(['rm', '-y', 'retry'])).code, 0)
  })
})

describe('import driver › Remove against the stand-in touches only what ke made', () => {
  it('rm against a stand-in whose cattle-system pre-existed leaves that namespace and its contents alone', async () => {
    // Given a stand-in where cattle-system already exists and holds someone else's config map
    const world = await makeWorld({
      objects: [
        {kind: 'Namespace', metadata: {name: 'cattle-system'}},
        {kind: 'ConfigMap', metadata: {name: 'rancher-config', namespace: 'cattle-system'}, data: {owner: 'rancher'}},
      ],
    })
    try {
      const before = keys(world.standin)
      assert.equal((await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'shared'])).code, 0)
      for (const key of OURS) assert.ok(world.standin.objects.has(key), `${key} missing`)

      // When the cluster is removed
      const result = await world.ke(['rm', '-y', 'shared'])

      // Then ke's account, Secret and binding are gone, and the namespace and its config map remain
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(keys(world.standin), before)
      assert.ok(world.standin.objects.has('namespaces/cattle-system'))
      assert.ok(world.standin.objects.has('configmaps/cattle-system/rancher-config'))
    } finally {
      await world.dispose()
    }
  })

  it('rm after a failed PostCheck against the stand-in removes the half-made account and the namespace it made', async () => {
    // Given an import whose PostCheck failed (403) after it made the namespace and service account
    const world = await makeWorld({forbidden: [{verb: 'create', resource: 'clusterrolebindings'}]})
    try {
      const before = keys(world.standin)
      assertFails(await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'half']), /403 Forbidden/)
      assert.ok(world.standin.objects.has('serviceaccounts/cattle-system/kontainer-engine'))

      // When the failed cluster is removed
      const result = await world.ke(['rm', '-y', 'half'])

      // Then nothing of ke's is left on the stand-in
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(keys(world.standin), before)
    } finally {
      await world.dispose()
    }
  })

  it('rm against the stand-in names the kubeconfig when it was deleted, and rm --force drops only the record', async () => {
    // Given an imported stand-in whose kubeconfig file the user then deleted
    const world = await makeWorld()
    try {
      assert.equal((await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'gone'])).code, 0)
      rmSync(world.kubeconfig)

      // When it is removed, then removed with --force
      const refused = await world.ke(['rm', '-y', 'gone'])
      const forced = await world.ke(['rm', '-y', '--force', 'gone'])

      // Then the first names the missing file and the way out; the second drops the record
      assertFails(refused, new RegExp(`kubeconfig file ${escape(world.kubeconfig)} does not exist; the kontainer-engine service account could not be removed`))
      assert.match(refused.stderr, /drop only the local record with `ke rm --force`/)
      assert.equal(forced.code, 0, forced.stderr)
      assert.equal(clusterExists(world.home, 'gone'), false)
    } finally {
      await world.dispose()
    }
  })
})

describe('import driver › kubeconfig shapes (stand-in)', () => {
  it('create with --context picks a non-current context whose CA is a file next to the kubeconfig (as minikube writes it) against the stand-in', async () => {
    // Given a kubeconfig in its own directory with two contexts: the current one for a cluster that is
    // down, and `minikube` for the stand-in, whose CA is named by a path relative to the file
    const world = await makeWorld()
    try {
      const dir = join(world.cwd, 'kube')
      mkdirSync(dir)
      writeFileSync(join(dir, 'ca.crt'), world.standin.caPem)
      const kc = new KubeConfig()
      kc.loadFromOptions({
        clusters: [
          {name: 'down', server: `https://127.0.0.1:${await closedPort()}`},
          {name: 'minikube', server: world.standin.url, caFile: 'ca.crt'},
        ],
        users: [{name: 'down'}, {name: 'minikube', token: ADMIN_TOKEN}],
        contexts: [
          {name: 'down', cluster: 'down', user: 'down'},
          {name: 'minikube', cluster: 'minikube', user: 'minikube'},
        ],
        currentContext: 'down',
      })
      const file = await writeKubeConfigFile(join(dir, 'config'), kc)

      // When the minikube context is imported
      const result = await world.keJson(['create', '--driver', 'import', '--kubeconfig', file, '--context', 'minikube', 'mk'])

      // Then it is Running, with the CA read from the file and the chosen context recorded
      assert.equal(result.code, 0, result.stderr)
      const info = readCluster(world.home, 'mk').info
      assert.equal(Buffer.from(info.rootCaCertificate, 'base64').toString('utf8'), world.standin.caPem)
      assert.equal(JSON.parse(info.metadata.state).context, 'minikube')
      assert.equal((await world.ke(['rm', '-y', 'mk'])).code, 0)
    } finally {
      await world.dispose()
    }
  })
})

describe('import driver › create errors name the cause (stand-in)', {concurrency: 3}, () => {
  it('create without --kubeconfig fails before contacting the stand-in and says what to pass', async () => {
    // Given a stand-in, and a create that names no kubeconfig
    const world = await makeWorld()
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', 'nokc'])

      // Then it fails naming the option, and the stand-in was never asked anything
      assertFails(result, /the import driver needs the kubeconfig of the cluster to import: pass --kubeconfig FILE/)
      assert.equal(world.standin.requests.length, 0)
    } finally {
      await world.dispose()
    }
  })

  it('create with a kubeconfig file that does not exist names the absolute path (stand-in untouched)', async () => {
    // Given a relative path to a file that is not there
    const world = await makeWorld()
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', 'missing.yaml', 'nofile'])

      // Then the message names the file, resolved against the user's directory
      assertFails(result, new RegExp(`kubeconfig file ${escape(join(world.cwd, 'missing.yaml'))} does not exist`))
      assert.equal(world.standin.requests.length, 0)
    } finally {
      await world.dispose()
    }
  })

  it('create with a context the stand-in kubeconfig lacks names it and lists the contexts there are', async () => {
    // Given the stand-in's kubeconfig, whose only context is `standin`
    const world = await makeWorld()
    try {
      // When another context is asked for
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, '--context', 'prod', 'noctx'])

      // Then the message names the context, the file, and what the file has
      assertFails(result, new RegExp(`context "prod" is not in kubeconfig ${escape(world.kubeconfig)} \\(it has: standin\\)`))
    } finally {
      await world.dispose()
    }
  })

  it('create against a stand-in that is not listening says the API is unreachable, with its URL', async () => {
    // Given a kubeconfig for a port where nothing listens any more
    const world = await makeWorld()
    try {
      const port = await closedPort()
      const url = `https://127.0.0.1:${port}`
      await world.standin.writeKubeconfig(world.kubeconfig, {server: url})

      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'down'])

      // Then the message names the URL and the reason
      assertFails(result, new RegExp(`cannot reach the Kubernetes API at ${escape(url)}: connection refused \\(ECONNREFUSED\\)`))
    } finally {
      await world.dispose()
    }
  })

  it('create against the stand-in with a CA that did not sign its certificate says the certificate is not trusted', async () => {
    // Given a kubeconfig that trusts an unrelated CA
    const world = await makeWorld({}, {caPem: await generateUnrelatedCaPem()})
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'badca'])

      // Then the message says the certificate is not trusted, at which URL
      assertFails(result, new RegExp(`the certificate of the Kubernetes API at ${escape(world.standin.url)} is not trusted`))
    } finally {
      await world.dispose()
    }
  })

  it('create with credentials the stand-in rejects says 401 and names the context and file', async () => {
    // Given a kubeconfig whose token the stand-in does not know
    const world = await makeWorld({}, {token: 'wrong-token'})
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'unauth'])

      // Then the message says the credentials were rejected
      assertFails(
        result,
        new RegExp(`the Kubernetes API at ${escape(world.standin.url)} rejected the credentials of context "standin" in ${escape(world.kubeconfig)} \\(401 Unauthorized\\)`),
      )
    } finally {
      await world.dispose()
    }
  })

  it('create with a user the stand-in forbids to bind cluster-admin says 403 and that cluster-admin is needed', async () => {
    // Given a user who may not create cluster role bindings
    const world = await makeWorld({forbidden: [{verb: 'create', resource: 'clusterrolebindings'}]})
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, 'forbidden'])

      // Then PostCheck fails saying which right is missing
      assertFails(result, /not allowed to create clusterrolebindings \(403 Forbidden\): it needs cluster-admin to create the kontainer-engine service account/)
      assert.equal(readCluster(world.home, 'forbidden').status, 'Error')
    } finally {
      await world.dispose()
    }
  })

  it('create against a stand-in whose token controller never fills the token gives up within the wait and asks about it', async () => {
    // Given a stand-in whose token controller never runs, and a one-second wait
    const world = await makeWorld({tokenFillDelayMs: 'never'})
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, '--token-wait-seconds', '1', 'notoken'])

      // Then it stops waiting and says what to check
      assertFails(result, /the token of secret cattle-system\/kontainer-engine-token was not filled in within 1 s: is the token controller running\?/)
    } finally {
      await world.dispose()
    }
  })
})

/** A port on 127.0.0.1 where nothing listens (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The built import driver started as a host starts it (`main.js PORT`), with a raw gRPC client. */
async function startDriverDirectly(): Promise<{call(method: string, request: unknown): Promise<string>; stop(): Promise<void>}> {
  const port = await closedPort()
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'drivers', 'import', 'main.js'), String(port)], {stdio: 'ignore'})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const {grpc, Driver} = await loadProto()
  const client = new Driver(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
  await waitFor(
    () => new Promise<boolean>((resolve) => client.waitForReady(Date.now() + 200, (error) => resolve(!error))),
    'the import driver to listen',
  )
  return {
    /** Resolves with the error text the driver answered (UNKNOWN), fails on success or another status. */
    call: (method, request) =>
      new Promise((resolve, reject) => {
        const unary = (client as unknown as Record<string, Function>)[method]!.bind(client)
        unary(request, (error: {code: number; details: string} | null) => {
          if (!error) return reject(new Error(`${method} succeeded`))
          if (error.code !== grpc.status.UNKNOWN) return reject(new Error(`${method} answered status ${error.code}: ${error.details}`))
          resolve(error.details)
        })
      }),
    stop: async () => {
      client.close()
      child.kill('SIGTERM')
      await exited
    },
  }
}

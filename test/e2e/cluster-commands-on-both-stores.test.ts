// Issue 15, the CLI: one suite of cluster commands run on both stores, the file store ($KE_HOME, the
// default) and the Kubernetes store chosen by `--store` or KE_STORE, against the REAL API server of the
// test suite (test/support/kubernetes.ts). Each store gets its own KE_HOME; the Kubernetes one its own
// namespace. Driver logs and the kubeconfig files `ke env` writes stay in KE_HOME on both.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CoreV1Api, CustomObjectsApi, KubeConfig} from '@kubernetes/client-node'
import {kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'
import {scriptDriver} from '../support/fixtures.js'
import {ROOT, makeHome, runKe, runKeJson, sampleRequests, startKe, collect, waitFor, type KeOptions} from '../support/ke.js'

interface StoreCase {
  name: string
  /** The skip options of its describe: the Kubernetes store needs the control-plane binaries. */
  skip: {skip: string | false}
  /** Prepares the store; returns how ke reaches it and where this machine keeps a cluster's local files. */
  setUp(home: string): Promise<{options: KeOptions; localDir: (cluster: string) => string; recordExists: (cluster: string) => Promise<boolean>}>
}

const fileStore: StoreCase = {
  name: 'file',
  skip: {skip: false},
  async setUp(home) {
    return {
      options: {home, env: {KE_STORE: undefined}},
      localDir: (cluster) => join(home, 'clusters', cluster),
      recordExists: async (cluster) => existsSync(join(home, 'clusters', cluster, 'cluster.json')),
    }
  },
}

let kube: TestKubernetes | undefined

const kubernetesStore: StoreCase = {
  name: 'kubernetes',
  skip: needsKubernetes,
  async setUp(home) {
    kube ??= await kubernetes()
    const namespace = uniqueName('ke-cli')
    await kube.admin().makeApiClient(CoreV1Api).createNamespace({body: {metadata: {name: namespace}}})
    const store = `kubernetes:ke-test/${namespace}`
    const init = await runKe(['store', 'init', '--store', store], {home, env: {KUBECONFIG: kube.kubeconfigPath}, timeoutMs: 90_000})
    assert.equal(init.code, 0, init.stderr)
    const objects = kube.admin().makeApiClient(CustomObjectsApi)
    return {
      // KE_STORE selects it for every command (`--store` is proven by the contention test below)
      options: {home, env: {KUBECONFIG: kube.kubeconfigPath, KE_STORE: store}, timeoutMs: 90_000},
      localDir: (cluster) => join(home, 'kubernetes', 'ke-test', namespace, cluster),
      recordExists: async (cluster) =>
        objects.getNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters', name: cluster}).then(
          () => true,
          (error: {code?: number}) => (error.code === 404 ? false : Promise.reject(error)),
        ),
    }
  },
}

for (const store of [fileStore, kubernetesStore]) {
  describe(`cluster commands on the ${store.name} store`, store.skip, () => {
    let home: string
    let dispose: () => void
    before(() => ({home, dispose} = makeHome(`ke-${store.name}-store-`)))
    after(() => dispose?.())

    it('create → retry → ls → inspect → size → version → etcd → capabilities → kubeconfig → env → update → rm, with logs and kubeconfig files kept locally', async () => {
      const {options, localDir, recordExists} = await store.setUp(home)
      const ke = (args: string[]) => runKe(args, options)

      // create with the sample driver fails after making resources, and `ke create web` retries it
      const failed = await ke(['create', '--driver', 'sample', '--node-count', '2', '--fail-after-create', 'web'])
      assert.equal(failed.code, 1, failed.stderr)
      assert.deepEqual((await runKeJson(['ls'], options)).json.map((row: {status: string}) => row.status), ['Error'])
      const created = await ke(['create', 'web', '--fail-after-create=false'])
      assert.equal(created.code, 0, created.stderr)
      assert.equal(sampleRequests(home).filter((r) => r.method === 'Create').length, 2)
      assert.equal(await recordExists('web'), true, `the record of web is in the ${store.name} store`)
      assert.equal(existsSync(join(home, 'clusters')), store.name === 'file', 'the file store is used only when chosen')
      assert.ok(existsSync(join(localDir('web'), 'driver.log')), 'the driver log stays on this machine')

      // ls, ls -q and ls --json
      const table = await ke(['ls'])
      assert.equal(table.code, 0, table.stderr)
      assert.match(table.stdout, /^web\s+sample\s+v1\.30\.2\s+https:\/\/\S+\s+2\s+Running$/m)
      assert.equal((await ke(['ls', '-q'])).stdout, 'web\n')
      const listed = await runKeJson(['ls'], options)
      assert.deepEqual(listed.json.map((row: {name: string; status: string; nodes: number}) => [row.name, row.status, row.nodes]), [['web', 'Running', 2]])

      // inspect shows no secret
      const inspected = await ke(['inspect', 'web'])
      assert.equal(inspected.code, 0, inspected.stderr)
      const shown = JSON.parse(inspected.stdout)
      assert.equal(shown.status, 'Running')
      // in cluster.json's order on either store: what the cluster is before its options and history
      const keys = Object.keys(shown)
      assert.deepEqual(keys.slice(0, 4), ['schemaVersion', 'name', 'driver', 'status'])
      assert.deepEqual(keys.filter((key) => ['options', 'history', 'info'].includes(key)), ['options', 'history', 'info'])
      assert.equal(keys.at(-1), 'info')
      assert.equal(shown.info.serviceAccountToken, '<redacted>')
      const token = JSON.parse((await ke(['inspect', 'web', '--show-secrets'])).stdout).info.serviceAccountToken
      assert.match(token, /\S{8,}/)
      assert.ok(!inspected.stdout.includes(token))

      // ke logs reads the driver log kept on this machine
      const logs = await ke(['logs', 'web'])
      assert.equal(logs.code, 0, logs.stderr)
      assert.match(logs.stdout, /^--- \S+ ke create web: driver sample ---$/m)

      // size set, then get, through the driver
      assert.equal((await ke(['size', 'set', 'web', '5'])).code, 0)
      assert.equal((await ke(['size', 'get', 'web'])).stdout.trim(), '5')

      // version set/get, etcd save/restore and capabilities go through the stored cluster's driver
      assert.equal((await ke(['version', 'set', 'web', 'v1.31.1'])).code, 0)
      assert.equal((await runKeJson(['version', 'get', 'web'], options)).json.version, 'v1.31.1')
      assert.equal((await ke(['etcd', 'save', 'web', 'snap-a'])).code, 0)
      assert.equal((await ke(['size', 'set', 'web', '9'])).code, 0)
      const restored = await ke(['etcd', 'restore', 'web', 'snap-a'])
      assert.equal(restored.code, 0, restored.stderr)
      assert.equal((await ke(['size', 'get', 'web'])).stdout.trim(), '5', 'the size of the snapshot')
      const capabilities = await runKeJson(['capabilities', 'web'], options)
      assert.equal(capabilities.json.capabilities.etcdBackup, true)

      // kubeconfig prints one that authenticates with the stored token
      const printed = await ke(['kubeconfig', 'web'])
      assert.equal(printed.code, 0, printed.stderr)
      const kc = new KubeConfig()
      kc.loadFromString(printed.stdout)
      assert.equal(kc.getCurrentUser()?.token, token)

      // env writes the cluster's kubeconfig on this machine
      const env = await ke(['env', 'web'])
      assert.equal(env.code, 0, env.stderr)
      const path = join(localDir('web'), 'kubeconfig')
      assert.match(env.stdout, new RegExp(`^export KUBECONFIG="${path}"$`, 'm'))
      const written = new KubeConfig()
      written.loadFromFile(path)
      assert.equal(written.getCurrentUser()?.token, token)

      // given with --store, the line env suggests names that store too (KE_STORE needs nothing more)
      const storeName = options.env?.KE_STORE ?? 'file'
      const viaFlag = await runKe(['env', 'web', '--store', storeName], {...options, env: {...options.env, KE_STORE: undefined}})
      assert.equal(viaFlag.code, 0, viaFlag.stderr)
      assert.match(viaFlag.stdout, new RegExp(`^# run: eval "\\$\\(node -- bin/run\\.js env web${storeName === 'file' ? '' : ` --store ${storeName}`}\\)"$`, 'm'))

      // update --help finds the stored cluster's driver in this store and lists its update options
      const help = await ke(['update', 'web', '--help'])
      assert.equal(help.code, 0, help.stderr)
      assert.match(help.stdout.replace(/\s+/g, ' '), /--node-count=<int> number of worker nodes \[intPtr\]/)

      // update goes through the driver and is stored
      const updated = await runKeJson(['update', 'web', '--node-count', '4'], options)
      assert.equal(updated.code, 0, updated.stderr)
      assert.equal((await runKeJson(['ls'], options)).json[0].nodes, 4)
      assert.equal(sampleRequests(home).filter((r) => r.method === 'Update').at(-1)!.request.options.intOptions['node-count'], 4)

      // rm removes the record from the store
      const removed = await ke(['rm', '-y', 'web'])
      assert.equal(removed.code, 0, removed.stderr)
      assert.equal(await recordExists('web'), false)
      assert.equal(existsSync(localDir('web')), false, 'its log and the kubeconfig ke env wrote (it holds the token) are gone from this machine')
      assert.equal((await ke(['ls', '-q'])).stdout, '')
      const again = await ke(['inspect', 'web'])
      assert.equal(again.code, 3)
      assert.match(again.stderr, /cluster web not found/)
    })
  })
}

describe('two ke processes with different KE_HOMEs on one Kubernetes store', needsKubernetes, () => {
  const homes: Array<() => void> = []
  after(() => homes.forEach((dispose) => dispose()))

  it('the second exits 4 at once naming the holder, and starts no driver', async () => {
    // Given a Kubernetes store and two machines' worth of KE_HOME
    const first = makeHome('ke-holder-')
    const second = makeHome('ke-second-')
    homes.push(first.dispose, second.dispose)
    const {options} = await kubernetesStore.setUp(first.home)
    const store = options.env!.KE_STORE!
    const env = {KUBECONFIG: options.env!.KUBECONFIG, KE_STORE: undefined}
    // and the sample driver behind a wrapper that notes each start of it (outside both KE_HOMEs)
    const counted = makeHome('ke-counted-driver-')
    homes.push(counted.dispose)
    const starts = join(counted.home, 'driver-starts')
    const driver = scriptDriver(counted.home, 'counted', `echo $$ >> "${starts}"\nexec "${process.execPath}" "${join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')}" "$@"`)
    const started = () => readFileSync(starts, 'utf8').trim().split('\n')

    // and a create in the first that holds the cluster while its driver works
    const holder = startKe(['create', '--driver', driver, '--create-seconds', '120', 'shared', '--store', store], {home: first.home, env})
    const held = collect(holder, {timeoutMs: 180_000})
    try {
      await waitFor(async () => {
        const listed = await runKeJson(['ls', '--store', store], {home: second.home, env})
        return listed.json.some((row: {name: string; status: string}) => row.name === 'shared' && row.status === 'Creating')
      }, 'the first ke to be creating shared', 60_000)

      // When the second machine's ke works on the same cluster
      for (const args of [['rm', '-y', 'shared'], ['update', 'shared', '--node-count', '4'], ['create', '--driver', driver, 'shared']]) {
        const result = await runKe([...args, '--store', store], {home: second.home, env})

        // Then it exits 4 naming the holder, and no driver ran on its machine
        assert.equal(result.code, 4, `ke ${args.join(' ')}: ${result.stderr}`)
        assert.equal(result.stderr, `Error: cluster shared is busy (held by ${hostname()}/${holder.pid}/ke create shared) (wait for that command to finish, or stop it)\n`)
        assert.deepEqual(started().length, 1, `ke ${args.join(' ')} started a driver`)
        assert.deepEqual(sampleRequests(second.home), [])
      }
    } finally {
      holder.kill('SIGINT')
      await held
    }
  })
})

// Issue 15: `ke store migrate` moves records between the file store and the Kubernetes store (and
// between namespaces) against the REAL API server of the test suite, without losing any: 50 realistic
// records (some made by the sample driver, the rest written as the file store writes them, with
// certificates, tokens, keys and driver state) go there and back and come back identical.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it, type TestContext} from 'node:test'
import {CoordinationV1Api, CoreV1Api, CustomObjectsApi, V1MicroTime} from '@kubernetes/client-node'
import {emptyClusterInfo} from '../../src/protocol/types.js'
import {STATUSES, type ClusterRecord, type HistoryEntry} from '../../src/store/cluster-record.js'
import {FileStore} from '../../src/store/file/file-store.js'
import {initStore} from '../../src/store/kubernetes/init.js'
import {KubernetesStore} from '../../src/store/kubernetes/kubernetes-store.js'
import {freshHome, createSampleCluster} from '../support/homes.js'
import {collect, runKe, runKeJson, startKe, waitFor, type KeOptions} from '../support/ke.js'
import {kubernetes, needsKubernetes, uniqueName, type TestKubernetes} from '../support/kubernetes.js'

const pem = (kind: string) => Buffer.from(`-----BEGIN ${kind}-----\n${randomBytes(48).toString('base64')}\n-----END ${kind}-----\n`).toString('base64')

/** Values no Cluster object may show, gathered as records are made. */
const secrets: string[] = []
function secret(prefix: string): string {
  const value = `${prefix}-${randomBytes(8).toString('hex')}`
  secrets.push(value)
  return value
}

/** A record as `ke create` leaves one, varied by `i`: every status, options, 0 to 50 history entries. */
function realisticRecord(template: ClusterRecord, name: string, i: number): ClusterRecord {
  const status = STATUSES[i % STATUSES.length]
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 1 + (i % 28), 8, minute % 60, minute % 7, i)).toISOString()
  const history: HistoryEntry[] = Array.from({length: (i * 7) % 51}, (_, n) => ({
    at: at(n),
    status: STATUSES[n % STATUSES.length],
    command: n % 3 === 0 ? 'create' : `update --node-count ${n}`,
    ...(n % 5 === 4 ? {reason: `driver said: quota ${n}`} : {}),
  }))
  const clientKey = pem('EC PRIVATE KEY')
  secrets.push(clientKey)
  const withInfo = status !== 'Init'
  return {
    ...template,
    name,
    status,
    ...(status === 'Error' ? {reason: `simulated failure ${i} after creating c-${i}`} : {}),
    ...(i % 4 === 0 ? {displayName: `Team ${i} (prod)`} : {}),
    createdAt: at(0),
    updatedAt: at(59),
    options: {
      ...template.options,
      'node-count': 1 + (i % 9),
      region: `sample-${['east', 'west', 'north'][i % 3]}-1`,
      labels: [`team=${i}`, 'env=ci'],
      private: i % 2 === 0,
      ...(i % 3 === 0 ? {'access-key': secret('ACCESS')} : {}),
    },
    ...(i % 5 === 0 ? {keyStyle: 'camel' as const} : {}),
    ...(withInfo
      ? {
          info: {
            ...emptyClusterInfo(),
            ...template.info,
            version: `v1.3${i % 3}.${i % 10}`,
            endpoint: `https://c-${i}.sample-east-1.sample.invalid:6443`,
            serviceAccountToken: secret('TOKEN'),
            rootCaCertificate: pem('CERTIFICATE'),
            clientCertificate: pem('CERTIFICATE'),
            clientKey,
            ...(i % 6 === 0 ? {username: 'admin', password: secret('PASSWORD')} : {}),
            nodeCount: 1 + (i % 9),
            metadata: {state: JSON.stringify({clusterId: `c-${i}`, apiKey: secret('STATE')}), region: 'sample-east-1'},
            status: status === 'Running' ? 'Running' : 'Provisioning',
          },
        }
      : {info: undefined}),
    history,
  }
}

describe('ke store migrate against the real API server', needsKubernetes, () => {
  let kube: TestKubernetes
  let core: CoreV1Api
  let objects: CustomObjectsApi
  const namespaces: string[] = []

  before(async () => {
    kube = await kubernetes()
    core = kube.admin().makeApiClient(CoreV1Api)
    objects = kube.admin().makeApiClient(CustomObjectsApi)
    // as `ke store init` does (idempotent; the CRD is cluster-wide)
    await initStore({kc: kube.admin(), namespace: 'default', label: 'kubernetes:test'})
  })

  after(async () => {
    for (const name of namespaces) await core.deleteNamespace({name}).catch(() => {})
  })

  async function aStore(): Promise<{spec: string; namespace: string; store: () => Promise<KubernetesStore>}> {
    const namespace = uniqueName('ke-migrate')
    await core.createNamespace({body: {metadata: {name: namespace}}})
    namespaces.push(namespace)
    return {
      spec: `kubernetes:ke-test/${namespace}`,
      namespace,
      store: () => KubernetesStore.open({kc: kube.admin(), namespace, label: `kubernetes:ke-test/${namespace}`}, {logDir: '/nonexistent/ke-migrate-test'}),
    }
  }

  function options(home: string): KeOptions {
    return {home, env: {KUBECONFIG: kube.kubeconfigPath, KE_STORE: undefined}, timeoutMs: 300_000}
  }

  async function clusterObjects(namespace: string): Promise<any[]> {
    return ((await objects.listNamespacedCustomObject({group: 'ke.io', version: 'v1alpha1', namespace, plural: 'clusters'})) as {items: any[]}).items
  }

  async function loadAll(load: (name: string) => Promise<ClusterRecord>, names: string[]): Promise<Record<string, ClusterRecord>> {
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await load(name)] as const)))
  }

  /** Three clusters made by the sample driver (one failed after making resources), then `count` more written as files. */
  async function homeWithRecords(t: TestContext, count: number): Promise<{home: string; names: string[]}> {
    const home = freshHome(t, 'ke-migrate-')
    await createSampleCluster(home, 'web')
    await createSampleCluster(home, 'api', ['--node-count', '5', '--labels', 'team=a', '--labels', 'env=prod', '--display-name', 'The API'])
    const failed = await runKe(['create', '--driver', 'sample', '--fail-after-create', 'broken'], {home})
    assert.equal(failed.code, 1, failed.stderr)
    const files = new FileStore(home)
    const template = await files.load('web')
    for (let i = 1; i <= count; i++) await files.put(realisticRecord(template, `rec-${String(i).padStart(2, '0')}`, i))
    const names = (await files.list()).map((entry) => entry.name)
    assert.equal(names.length, count + 3)
    return {home, names}
  }

  it('50 records go file → kubernetes → file and come back identical; a second run finds them already there; no secret in any Cluster', async (t) => {
    // Given a file store with 50 realistic records and an empty Kubernetes store
    const {home, names} = await homeWithRecords(t, 47)
    const files = new FileStore(home)
    const original = await loadAll((name) => files.load(name), names)
    const target = await aStore()

    // When they are migrated to the Kubernetes store
    const there = await runKe(['store', 'migrate', '--to', target.spec], options(home))

    // Then each is migrated, one line each, and a summary says the sources were kept
    assert.equal(there.code, 0, there.stderr)
    assert.deepEqual(there.stdout.trim().split('\n').slice(0, -1), names.map((name) => `${name}: migrated`))
    assert.equal(there.stdout.trim().split('\n').at(-1), `file → ${target.spec}: 50 migrated, 0 already there, 0 refused, of 50; records moved are kept in file (use --delete-source to remove them)`)
    assert.deepEqual(await loadAll((name) => files.load(name), names), original, 'the source is kept as it was')

    // And the Kubernetes store holds each record exactly
    const kstore = await target.store()
    assert.deepEqual(await loadAll((name) => kstore.load(name), names), original)

    // And no Cluster object (what `kubectl get clusters.ke.io -o yaml` shows) holds a token, key, password, state or secret option
    const listed = await clusterObjects(target.namespace)
    assert.equal(listed.length, 50)
    const shown = JSON.stringify(listed)
    assert.ok(secrets.length > 100, 'the records hold secrets to look for')
    for (const value of [...secrets, original.web.info!.serviceAccountToken]) {
      assert.ok(!shown.includes(value), `a Cluster object shows ${value}`)
    }

    // And ke shows the same on both stores: ls, and inspect with secrets
    const onKube = {...options(home), env: {...options(home).env, KE_STORE: target.spec}}
    assert.deepEqual((await runKeJson(['ls'], onKube)).json, (await runKeJson(['ls'], options(home))).json)
    for (const name of ['web', 'api', 'broken', 'rec-06', 'rec-07']) {
      const fromFile = await runKe(['inspect', name, '--show-secrets', '--json'], options(home))
      const fromKube = await runKe(['inspect', name, '--show-secrets', '--json'], onKube)
      assert.equal(fromKube.code, 0, fromKube.stderr)
      assert.deepEqual(JSON.parse(fromKube.stdout), JSON.parse(fromFile.stdout), `inspect ${name} --show-secrets`)
    }

    // When migrated again: every record is already there, nothing changes
    const again = await runKeJson(['store', 'migrate', '--to', target.spec], options(home))
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual(again.json.records.map((r: {result: string}) => r.result), names.map(() => 'already there'))
    assert.deepEqual(await loadAll((name) => kstore.load(name), names), original)

    // When they are migrated back to another machine's file store
    const back = freshHome(t, 'ke-migrate-back-')
    const returned = await runKe(['store', 'migrate', '--store', target.spec, '--to', 'file'], options(back))

    // Then every record comes back identical, byte for byte, in a private file
    assert.equal(returned.code, 0, returned.stderr)
    assert.match(returned.stdout, new RegExp(`^${target.spec} → file: 50 migrated, 0 already there, 0 refused, of 50;`, 'm'))
    const backFiles = new FileStore(back)
    assert.deepEqual(await loadAll((name) => backFiles.load(name), names), original)
    for (const name of names) {
      assert.equal(readFileSync(backFiles.recordPath(name), 'utf8'), readFileSync(files.recordPath(name), 'utf8'), `cluster.json of ${name}, byte for byte`)
      assert.equal(statSync(backFiles.recordPath(name)).mode & 0o777, 0o600)
    }
  })

  it('refuses to overwrite a different record at the destination, says which, exits 4, and still moves the others', async (t) => {
    // Given three records migrated once, and then b changed in the Kubernetes store (another machine's update)
    const home = freshHome(t, 'ke-migrate-')
    const files = new FileStore(home)
    const template = await (async () => {
      await createSampleCluster(home, 'a')
      return files.load('a')
    })()
    const ours = realisticRecord(template, 'b', 2)
    await files.put(ours)
    const target = await aStore()
    assert.equal((await runKe(['store', 'migrate', '--to', target.spec, 'a', 'b'], options(home))).code, 0)
    const kstore = await target.store()
    const theirs = await kstore.save({...(await kstore.load('b')), status: 'Error', reason: 'changed elsewhere'})
    await files.put(realisticRecord(template, 'c', 3))

    // When every record is migrated again, with --delete-source
    const result = await runKe(['store', 'migrate', '--to', target.spec, '--delete-source'], options(home))

    // Then b is refused with the fields that differ, a is already there, c moves; exit 4
    assert.equal(result.code, 4, result.stderr)
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `a: already there (removed from file)`,
      `b: refused: ${target.spec} already has a different record of b (it differs in reason, status, updatedAt); nothing was overwritten` +
        ` (compare \`ke inspect b --store file\` with \`ke inspect b --store ${target.spec}\`, remove the one you do not want, then run \`ke store migrate\` again)`,
      `c: migrated (removed from file)`,
      `file → ${target.spec}: 1 migrated, 1 already there, 1 refused, of 3; records moved are removed from the source once verified`,
    ])
    assert.equal(result.stderr, 'Error: 1 of 3 records not migrated: b\n')
    // and their b is untouched, ours is kept in the file store; a and c left it
    assert.deepEqual(await kstore.load('b'), theirs)
    assert.deepEqual(await files.load('b'), ours)
    assert.deepEqual((await files.list()).map((entry) => entry.name), ['b'])
  })

  it('--delete-source: file → kubernetes → another namespace, each source removed once the destination holds it; driver logs stay', async (t) => {
    // Given a cluster made by the sample driver (with its driver log) and a written record
    const home = freshHome(t, 'ke-migrate-')
    await createSampleCluster(home, 'web')
    const files = new FileStore(home)
    await files.put(realisticRecord(await files.load('web'), 'rec-03', 3))
    const original = await loadAll((name) => files.load(name), ['rec-03', 'web'])
    const log = files.logPath('web')
    const logText = readFileSync(log, 'utf8')
    const first = await aStore()
    const second = await aStore()

    // When moved to the Kubernetes store with --delete-source
    const moved = await runKe(['store', 'migrate', '--to', first.spec, '--delete-source'], options(home))

    // Then the file store holds no record, the driver log is where it was, and Kubernetes has both
    assert.equal(moved.code, 0, moved.stderr)
    assert.match(moved.stdout, /^web: migrated \(removed from file\)$/m)
    assert.deepEqual((await files.list()).map((e) => e.name), [])
    assert.equal((await runKe(['ls', '-q'], options(home))).stdout, '')
    assert.equal(readFileSync(log, 'utf8'), logText)
    assert.deepEqual(await loadAll(async (name) => (await first.store()).load(name), ['rec-03', 'web']), original)

    // When moved on to another namespace with --delete-source
    const onward = await runKe(['store', 'migrate', '--store', first.spec, '--to', second.spec, '--delete-source'], options(home))

    // Then the first namespace has no Cluster and none of their Secrets left, the second has both records
    assert.equal(onward.code, 0, onward.stderr)
    assert.deepEqual(await clusterObjects(first.namespace), [])
    const left = (await core.listNamespacedSecret({namespace: first.namespace})).items.filter((s) => s.metadata?.labels?.['ke.io/cluster'])
    assert.deepEqual(left.map((s) => s.metadata?.name), [])
    assert.deepEqual(await loadAll(async (name) => (await second.store()).load(name), ['rec-03', 'web']), original)
    const inspected = await runKe(['inspect', 'web', '--show-secrets', '--store', second.spec], options(home))
    assert.equal(JSON.parse(inspected.stdout).info.serviceAccountToken, original.web.info!.serviceAccountToken)
  })

  it('says plainly when a record had more history than a Cluster keeps, and keeps the newest 50 entries', async (t) => {
    // Given a record with 60 history entries (the file store keeps them all)
    const home = freshHome(t, 'ke-migrate-')
    const files = new FileStore(home)
    await createSampleCluster(home, 'web')
    const web = await files.load('web')
    const history = Array.from({length: 60}, (_, n) => ({at: new Date(Date.UTC(2026, 5, 1, 0, n)).toISOString(), status: 'Running' as const, command: `update --node-count ${n}`}))
    await files.put({...web, name: 'long', history})
    const target = await aStore()

    // When migrated, twice
    const first = await runKe(['store', 'migrate', '--to', target.spec, 'long'], options(home))
    const second = await runKe(['store', 'migrate', '--to', target.spec, 'long'], options(home))

    // Then both runs say so, and the Kubernetes store holds the record with its newest 50 entries
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual(first.stdout.trim().split('\n'), [
      'long: migrated (history trimmed to the newest 50 of 60 entries)',
      `file → ${target.spec}: 1 migrated, 0 already there, 0 refused, of 1; records moved are kept in file (use --delete-source to remove them); 1 had their history trimmed`,
    ])
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /^long: already there \(history trimmed to the newest 50 of 60 entries\)$/m)
    assert.deepEqual(await (await target.store()).load('long'), {...web, name: 'long', history: history.slice(10)})
  })

  it('leaves a busy cluster alone (exit 4 naming the holder): one a ke on this machine creates, one a ke elsewhere holds the Lease of', async (t) => {
    // Given a file store with a cluster being created (its ke holds the lock) and two idle records
    const home = freshHome(t, 'ke-migrate-')
    const files = new FileStore(home)
    await createSampleCluster(home, 'idle')
    await files.put(realisticRecord(await files.load('idle'), 'leased', 5))
    const holder = startKe(['create', '--driver', 'sample', '--create-seconds', '120', 'busy'], {home})
    const held = collect(holder, {timeoutMs: 180_000})
    // and a Kubernetes store where a ke on another machine holds the Lease of `leased`
    const target = await aStore()
    const now = new V1MicroTime()
    await kube.admin().makeApiClient(CoordinationV1Api).createNamespacedLease({
      namespace: target.namespace,
      body: {metadata: {name: 'leased-lock'}, spec: {holderIdentity: 'ci-runner-7/4242/ke update leased', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now}},
    })
    try {
      await waitFor(async () => (await runKeJson(['ls'], {home})).json.some((row: {name: string; status: string}) => row.name === 'busy' && row.status === 'Creating'), 'busy to be creating', 60_000)

      // When every record is migrated with --delete-source
      const result = await runKe(['store', 'migrate', '--to', target.spec, '--delete-source'], options(home))

      // Then busy and leased are refused as busy, naming their holders, and idle moves; exit 4
      assert.equal(result.code, 4, result.stderr)
      assert.deepEqual(result.stdout.trim().split('\n').slice(0, 3), [
        `busy: refused: cluster busy is busy (pid ${holder.pid}, ke create busy) (wait for that command to finish, or stop it)`,
        `idle: migrated (removed from file)`,
        `leased: refused: cluster leased is busy (held by ci-runner-7/4242/ke update leased) (wait for that command to finish, or stop it)`,
      ])
      assert.equal(result.stderr, 'Error: 2 of 3 records not migrated: busy, leased\n')
      assert.deepEqual((await clusterObjects(target.namespace)).map((o) => o.metadata.name), ['idle'])
      assert.deepEqual((await files.list()).map((e) => e.name), ['busy', 'leased'])
      assert.ok(existsSync(join(home, 'clusters', 'idle', 'driver.log')), 'the driver log of idle stays on this machine')
    } finally {
      holder.kill('SIGINT')
      await held
    }
  })
})

describe('ke store migrate, bad input', () => {
  it('--to naming the store the records are in, an unknown store, or none: one line each, exit 2, nothing moved', async (t) => {
    // Given a file store with a record
    const home = freshHome(t, 'ke-migrate-')
    await createSampleCluster(home, 'web')
    const before = readFileSync(join(home, 'clusters', 'web', 'cluster.json'), 'utf8')

    // When migrate is asked to move it nowhere, to itself, or to a store that does not exist
    const cases: Array<[string[], string]> = [
      [['--to', 'file'], 'Error: --to file is the store the records are in (file) (name another store with --to, or the source with --store)\n'],
      [['--to', 'mongodb'], 'Error: --to "mongodb": unknown store (use `file` or `kubernetes[:CONTEXT][/NAMESPACE]`, e.g. `kubernetes:prod/ke-clusters`)\n'],
      [[], 'Error: missing flag --to (see `ke store migrate --help`)\n'],
    ]
    for (const [args, stderr] of cases) {
      const result = await runKe(['store', 'migrate', ...args], {home, env: {KE_STORE: undefined}})

      // Then it says what is wrong in one line, exits 2, and the record is as it was
      assert.deepEqual([result.code, result.stderr, result.stdout], [2, stderr, ''], `ke store migrate ${args.join(' ')}`)
    }
    assert.equal(readFileSync(join(home, 'clusters', 'web', 'cluster.json'), 'utf8'), before)
  })
})

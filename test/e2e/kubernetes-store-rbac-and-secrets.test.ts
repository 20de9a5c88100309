// Issue 15, through the CLI against the REAL API server: a user who may read Clusters but not Secrets,
// and no secret in any Cluster object, Event, output or driver log after a create that failed, its
// retry, an update, a failed version set and a failed rm (each writes status.lastError or an Event).
import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {scriptDriver} from '../support/fixtures.js'
import {fingerprint} from '../../src/builtin-drivers/sample/cloud.js'
import {ROOT, runKe, sampleRequests, type KeResult} from '../support/ke.js'
import {suiteHomes} from '../support/homes.js'
import {kubeConfigAs, needsKubernetes} from '../support/kubernetes.js'
import {cliStore} from '../support/kubernetes-store-cli.js'

/** Every file under `dir` whose name is `name`. */
function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .map((path) => join(dir, path))
    .filter((path) => path.endsWith(`/${name}`) && statSync(path).isFile())
}

describe('Kubernetes store › RBAC and secrets, through the CLI', needsKubernetes, () => {
  const home = suiteHomes()

  it('a user who may read Clusters but not Secrets: `ke ls` works, `ke kubeconfig` fails with the 403 in one line', async () => {
    // Given a Running cluster made by the admin
    const admin = home('ke-rbac-admin-')
    const k = await cliStore(admin)
    const created = await runKe(['create', '--driver', 'sample', 'web'], k.options(admin))
    assert.equal(created.code, 0, created.stderr)

    // and a service account allowed to get and list Clusters, nothing else, with a kubeconfig of its own
    await k.core.createNamespacedServiceAccount({namespace: k.namespace, body: {metadata: {name: 'reader'}}})
    await k.rbac.createNamespacedRole({namespace: k.namespace, body: {metadata: {name: 'reader'}, rules: [{apiGroups: ['ke.io'], resources: ['clusters'], verbs: ['get', 'list']}]}})
    await k.rbac.createNamespacedRoleBinding({
      namespace: k.namespace,
      body: {metadata: {name: 'reader'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader'}, subjects: [{kind: 'ServiceAccount', name: 'reader', namespace: k.namespace}]},
    })
    const {status} = await k.core.createNamespacedServiceAccountToken({name: 'reader', namespace: k.namespace, body: {spec: {audiences: [], expirationSeconds: 600}}})
    const reader = home('ke-rbac-reader-')
    const kubeconfig = join(reader, 'reader.kubeconfig')
    writeFileSync(kubeconfig, kubeConfigAs(k.kube, {token: status!.token}).exportConfig(), {mode: 0o600})
    const options = {home: reader, env: {KUBECONFIG: kubeconfig, KE_STORE: `kubernetes:real/${k.namespace}`}, timeoutMs: 60_000}

    // When it lists the clusters
    const listed = await runKe(['ls'], options)

    // Then it sees web Running
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /^web\s+sample\s+v1\.30\.2\s+https:\/\/\S+\s+3\s+Running$/m)

    // and, for a cluster whose record says a ke is at work (which it cannot check), sees the record as it is
    const object = await k.cluster('web')
    await k.objects.replaceNamespacedCustomObjectStatus({
      group: 'ke.io', version: 'v1alpha1', namespace: k.namespace, plural: 'clusters', name: 'web',
      body: {...object, status: {...object.status, phase: 'Updating'}},
    })
    const inFlight = await runKe(['ls'], options)
    assert.equal(inFlight.code, 0, inFlight.stderr)
    assert.match(inFlight.stdout, /^web\s+sample\s+.*\s+Updating$/m)
    // while the admin, who can, sees that no ke is at work on it
    assert.match((await runKe(['ls'], k.options(admin))).stdout, /^web\s+sample\s+.*\s+Error$/m)

    // When it asks for the kubeconfig, which is read from the Secrets
    const denied = await runKe(['kubeconfig', 'web'], options)

    // Then one line says the API server's 403, exit 1, no stack trace, no kubeconfig printed
    assert.equal(denied.code, 1, denied.stderr)
    assert.equal(denied.stdout, '')
    const lines = denied.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, denied.stderr)
    assert.match(lines[0], new RegExp(`^Error: Kubernetes store kubernetes:real/${k.namespace}: cannot get Secret web-info \\(403 Forbidden: secrets "web-info" is forbidden: User "system:serviceaccount:${k.namespace}:reader" cannot get resource "secrets"`))
    assert.doesNotMatch(denied.stderr, /^\s+at /m)
  })

  it('no secret in any Cluster object, Event, output or driver log after a failed create, its retry, an update, a failed version set and a failed rm', async () => {
    // Given a driver that prints a secret from its environment (given with --env, which ke treats as secret)
    const h = home('ke-no-secret-')
    const k = await cliStore(h)
    const driver = scriptDriver(h, 'chatty', `echo "logging in with $SAMPLE_LOGIN" >&2\nexec "${process.execPath}" "${join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js')}" "$@"`)
    const API_KEY = 'api-KEY-value-3e8f1a'
    const LOGIN = 'login-SECRET-90c2d7'
    const runtime = ['--env', `SAMPLE_LOGIN=${LOGIN}`]
    const results: KeResult[] = []
    const snapshots: unknown[] = []
    const ke = async (args: string[], env: Record<string, string> = {}) => {
      const result = await runKe([...args, ...runtime], k.options(h, env))
      results.push(result)
      snapshots.push(await k.clusters())
      return result
    }

    // When a create with a password option fails after making resources
    const failed = await ke(['create', '--driver', driver, '--api-key', API_KEY, '--fail-after-create', 'web'])
    assert.equal(failed.code, 1, failed.stderr)
    const afterFailure = await k.cluster('web')
    assert.equal(afterFailure.status.phase, 'Error')
    // its status.lastError holds the reason, then the driver log's last lines, the secret redacted
    assert.match(afterFailure.status.lastError, /^simulated failure after creating \S+ \(fail-after-create\)\n--- driver log, last lines ---\n/)
    assert.match(afterFailure.status.lastError, /logging in with <redacted>/)

    // and its retry succeeds, an update runs, and an rm whose Remove fails
    const retried = await ke(['create', 'web', '--api-key', API_KEY, '--fail-after-create=false'])
    assert.equal(retried.code, 0, retried.stderr)
    assert.equal((await k.cluster('web')).status.lastError, undefined, 'a success clears the last error')
    const info = JSON.parse(Buffer.from((await k.core.readNamespacedSecret({name: 'web-info', namespace: k.namespace})).data!.info, 'base64').toString())
    const TOKEN: string = info.serviceAccountToken
    assert.match(TOKEN, /\S{8,}/)
    const updated = await ke(['update', 'web', '--node-count', '4'])
    assert.equal(updated.code, 0, updated.stderr)
    // a version set the driver refuses keeps the phase and records the reason in status.lastError
    const badVersion = await ke(['version', 'set', 'web', 'not-a-version'])
    assert.equal(badVersion.code, 1, badVersion.stderr)
    const afterVersion = await k.cluster('web')
    assert.equal(afterVersion.status.phase, 'Running')
    assert.match(afterVersion.status.lastError, /"not-a-version" is not a Kubernetes version.*\n--- driver log, last lines ---\n/s)
    const removal = await ke(['rm', '-y', 'web'], {KE_SAMPLE_FAIL_REMOVE: '1'})
    assert.equal(removal.code, 1, removal.stderr)
    const afterRm = await k.cluster('web')
    assert.equal(afterRm.status.phase, 'Error')
    assert.match(afterRm.status.lastError, /^driver \S+ failed Remove: .*simulated failure removing/)

    // Then the Events tell each outcome, the failures with the log's last lines
    const events = (await k.events()).filter((event) => event.involvedObject.name === 'web' && event.involvedObject.kind === 'Cluster')
    const byReason = (reason: string) => events.filter((event) => event.reason === reason)
    assert.deepEqual(
      ['CreateFailed', 'Created', 'Updated', 'VersionSetFailed', 'RemoveFailed'].map((reason) => [reason, byReason(reason).length, byReason(reason)[0]?.type]),
      [
        ['CreateFailed', 1, 'Warning'],
        ['Created', 1, 'Normal'],
        ['Updated', 1, 'Normal'],
        ['VersionSetFailed', 1, 'Warning'],
        ['RemoveFailed', 1, 'Warning'],
      ],
    )
    assert.equal(byReason('RemoveFailed')[0].involvedObject.uid, afterRm.metadata.uid)
    assert.match(byReason('RemoveFailed')[0].message, /simulated failure removing .*\ndriver log, last lines:\n/s)

    // And no secret is in any Cluster object, Event, stdout, stderr or driver log
    const logs = filesNamed(join(h, 'kubernetes'), 'driver.log')
    assert.ok(logs.length > 0, 'the driver log is on this machine')
    const places: Array<[string, string]> = [
      ['Cluster objects', JSON.stringify(snapshots)],
      ['Events', JSON.stringify(events)],
      ...results.flatMap((result, i): Array<[string, string]> => [[`stdout of command ${i}`, result.stdout], [`stderr of command ${i}`, result.stderr]]),
      ...logs.map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
    ]
    for (const [where, text] of places) {
      for (const secret of [API_KEY, LOGIN, TOKEN]) assert.ok(!text.includes(secret), `${where} holds a secret`)
    }
    // while the secret option did reach the driver (its simulated cloud keeps a fingerprint of it)
    const creates = sampleRequests(h).filter((request) => request.method === 'Create')
    assert.deepEqual(creates.map((request) => request.request.options.stringOptions['api-key']), [fingerprint(API_KEY), fingerprint(API_KEY)])
    assert.equal((await runKe(['rm', '-y', 'web'], k.options(h))).code, 0)
  })
})

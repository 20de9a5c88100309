// Issue 16: a spec the driver cannot take gets Ready=False with the reason, is not retried until the
// spec (or a Secret it names) changes, and then goes on; secret values from optionsFrom reach the driver
// and nothing else.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {clusterTable, needsKubernetes} from '../../support/kubernetes.js'
import {sampleRequests} from '../../support/ke.js'
import {startFileServer, type FileServer} from '../../support/file-server.js'
import {condition, controllerEnv, linesAbout, type ControllerEnv} from './support.js'

const API_KEY = 'sample-api-key-0123456789abcdef'

describe('ke controller: invalid specs', needsKubernetes, () => {
  let env: ControllerEnv
  let files: FileServer
  before(async () => {
    env = await controllerEnv('ke-ctl-invalid')
    files = await startFileServer({'/kontainer-engine-driver-pinned': {body: 'not the driver the checksum names'}})
  })
  after(async () => {
    await env?.dispose()
    await files?.close()
  })

  it('reports each in Ready=False with its reason, reconciles each at most twice until the spec or Secret changes, then creates', async () => {
    // Given a controller
    const controller = env.startController(['--workers', '3'])
    const invalid = (o: any) => condition(o, 'Ready')?.status === 'False' && ['InvalidSpec', 'BadChecksum'].includes(condition(o, 'Ready')!.reason)

    // When Clusters with an unknown option, a value of the wrong type, an unknown driver, a missing
    // Secret and a bad checksum are applied
    await env.apply('unknown-option', {driver: {name: 'sample'}, options: {'node-count': 1, colour: 'blue'}})
    await env.apply('bad-value', {driver: {name: 'sample'}, options: {'node-count': 'many'}})
    await env.apply('unknown-driver', {driver: {name: 'nosuchdriver'}})
    await env.apply('missing-secret', {driver: {name: 'sample'}, options: {'node-count': 1}, optionsFrom: [{secretRef: {name: 'sample-account'}}]})
    await env.apply('bad-checksum', {driver: {name: 'pinned', url: files.url('/kontainer-engine-driver-pinned'), checksum: 'a'.repeat(64)}})

    // Then each says why, with the generation it judged
    const expected: Record<string, [string, RegExp]> = {
      'unknown-option': ['InvalidSpec', /colour is not an option of driver sample/],
      'bad-value': ['InvalidSpec', /node-count must be a whole number/],
      // told in the spec's terms, not the CLI's --driver
      'unknown-driver': ['InvalidSpec', /driver nosuchdriver not found: .*\(give spec\.driver\.url .*or name a built-in: sample, import\)$/],
      'missing-secret': ['InvalidSpec', /Secret sample-account named in spec\.optionsFrom does not exist/],
      'bad-checksum': ['BadChecksum', /checksum mismatch/],
    }
    for (const [name, [reason, message]] of Object.entries(expected)) {
      const object = await env.waitForCluster(name, reason, invalid)
      assert.equal(condition(object, 'Ready')!.reason, reason, name)
      assert.match(condition(object, 'Ready')!.message, message, name)
      assert.equal(object.status.observedGeneration, object.metadata.generation, name)
      assert.ok((await env.events(name)).some((e) => e.type === 'Warning' && e.reason === reason), `${name}: a Warning ${reason} Event`)
    }

    // and `kubectl get kec` tells them apart from a cluster on its way, which has a phase (Reason: -o wide)
    const table = await clusterTable(env.kube.admin(), env.namespace)
    for (const [name, [reason]] of Object.entries(expected)) {
      assert.deepEqual([table.rows[name].Phase, table.rows[name].Ready, table.rows[name].Reason], [null, 'False', reason], name)
    }

    // and `ke ls` shows them waiting (Init), each with the controller's reason, not as a ke interrupted
    // (missing-secret's Secret is missing: ls lists it from the object, as it lists the others)
    const ls = await env.ke(['ls', '--store', env.store, '--json'])
    assert.equal(ls.code, 0, ls.stderr)
    const listed = JSON.parse(ls.stdout) as Array<{name: string; status: string; reason?: string}>
    for (const [name, [, message]] of Object.entries(expected)) {
      const entry = listed.find((cluster) => cluster.name === name)
      assert.equal(entry?.status, 'Init', `${name}: ${JSON.stringify(listed)}`)
      assert.match(entry?.reason ?? '', message, name)
    }

    // When time passes: a valid Cluster is created meanwhile, start to finish
    await env.apply('valid', {driver: {name: 'sample'}, options: {'node-count': 1}})
    await env.waitForCluster('valid', 'Running', (o) => o.status?.phase === 'Running')

    // Then none of the invalid ones was reconciled more than twice
    for (const name of Object.keys(expected)) {
      const verdicts = linesAbout(controller, `${env.namespace}/${name}`, 'invalid spec')
      assert.ok(verdicts.length >= 1 && verdicts.length <= 2, `${name}: ${verdicts.length} verdicts\n${verdicts.join('\n')}`)
    }
    assert.equal(sampleRequests(env.home).filter((r) => r.method === 'Create').length, 1, 'only the valid one reached Create')

    // When the spec is fixed
    await env.patch('unknown-option', {spec: {options: {colour: null}}})
    // and the missing Secret appears
    await env.core.createNamespacedSecret({namespace: env.namespace, body: {metadata: {name: 'sample-account'}, stringData: {'api-key': API_KEY}}})

    // Then both are created
    await env.waitForCluster('unknown-option', 'Running', (o) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True')
    const secretive = await env.waitForCluster('missing-secret', 'Running', (o) => o.status?.phase === 'Running')
    // and the secret value reached the driver, but no Cluster object, Event or log line
    const create = sampleRequests(env.home).find((r) => r.method === 'Create' && r.request.options.stringOptions.name === 'missing-secret')
    assert.match(create!.request.options.stringOptions['api-key'], /^sha256:/)
    assert.ok(!JSON.stringify(secretive).includes(API_KEY))
    assert.ok(!JSON.stringify(await env.events('missing-secret')).includes(API_KEY))
    assert.ok(!controller.lines().join('\n').includes(API_KEY))
    assert.equal((await controller.stop()).code, 0)
  })
})

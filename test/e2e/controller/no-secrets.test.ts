// Issue 16: no secret in any Cluster object, Event or log of the controller. A Cluster's password option
// comes from a Secret (optionsFrom) and the driver returns a service-account token; after a Create, an
// Update, a failing Create and a Remove, under text and JSON logs, neither value (nor its base64) is in a
// Cluster object, an Event of the namespace, the controller's output, or a file under its KE_HOME
// (the sample cloud aside: it is the provider, which holds its own token).
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {sampleCloud, sampleRequests, waitFor} from '../../support/ke.js'
import {controllerEnv, type ControllerEnv, type RunningController} from './support.js'

const CLUSTERS = {group: 'ke.io', version: 'v1alpha1', plural: 'clusters'}

function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(skip))
}

/** Where any of the secrets (as is, or base64) shows up in `text`, as "what: which secret". */
function leaks(what: string, text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')))
    .map(([name]) => `${what}: ${name}`)
}

describe('ke controller: no secret in a Cluster object, an Event or a log', needsKubernetes, () => {
  let env: ControllerEnv
  before(async () => (env = await controllerEnv('ke-ctl-nosecret')))
  after(() => env?.dispose())

  it('keeps the password option and the driver\'s token out of objects, Events, logs and files', async () => {
    const apiKey = `sk-${randomBytes(12).toString('hex')}`
    await env.core.createNamespacedSecret({namespace: env.namespace, body: {metadata: {name: 'creds'}, stringData: {'api-key': apiKey}}})
    const optionsFrom = [{secretRef: {name: 'creds'}}]
    const controllers: RunningController[] = []
    const updates = () => sampleRequests(env.home).filter((r) => r.method === 'Update').length

    // Given a controller logging text: a Create, an Update, and a Create that fails after making resources
    controllers.push(env.startController())
    await env.apply('web', {driver: {name: 'sample'}, options: {'node-count': 1}, optionsFrom})
    await env.waitForCluster('web', 'Running', (o) => o.status?.phase === 'Running')
    await env.patch('web', {spec: {options: {'node-count': 2}}})
    await env.waitForCluster('web', 'updated', (o) => o.status?.observedGeneration === 2 && o.status.nodeCount === 2)
    await env.apply('flaky', {driver: {name: 'sample'}, options: {'node-count': 1, 'fail-after-create': true}, optionsFrom})
    await env.waitForCluster('flaky', 'Error', (o) => o.status?.phase === 'Error')
    await waitFor(async () => (await env.events('flaky')).some((e) => e.reason === 'CreateFailed'), 'a CreateFailed Event')
    assert.equal((await controllers[0].stop()).code, 0)

    // the secrets: the password option, and the token the driver returned (in the info Secret)
    const info = await env.core.readNamespacedSecret({namespace: env.namespace, name: 'web-info'})
    const infoText = Buffer.from(info.data!.info, 'base64').toString('utf8')
    const token: string = JSON.parse(infoText).serviceAccountToken
    assert.match(token, /^sample-token-/)
    const secrets = {'the api-key option': apiKey, "the driver's token": token}
    // (the scan finds them where they belong: in the Secrets, base64 or not)
    const creds = await env.core.readNamespacedSecret({namespace: env.namespace, name: 'creds'})
    assert.deepEqual([...leaks('creds', JSON.stringify(creds), secrets), ...leaks('info', infoText, secrets)], ['creds: the api-key option', "info: the driver's token"])
    // (the driver did receive the password: it records its fingerprint)
    assert.ok(sampleRequests(env.home).filter((r) => r.method === 'Create').every((r) => r.request.options.stringOptions['api-key']?.startsWith('sha256:')))

    // And a controller logging JSON: another Update, the failing Create retried, and a Remove
    const creates = sampleRequests(env.home).filter((r) => r.method === 'Create').length
    controllers.push(env.startController(['--log-format', 'json']))
    await env.patch('web', {spec: {options: {'node-count': 3}}})
    await env.waitForCluster('web', 'updated again', (o) => o.status?.observedGeneration === 3 && o.status.nodeCount === 3)
    assert.equal(updates(), 2)
    await waitFor(() => sampleRequests(env.home).filter((r) => r.method === 'Create').length > creates, 'the failing Create retried', 60_000)
    const before = (await env.get('web'))!
    // (web's files go with it: scanned now)
    const webLogs = filesUnder(env.home, sampleCloud(env.home)).filter((file) => file.includes('/web/'))
    assert.ok(webLogs.some((file) => file.endsWith('/web/driver.log')), `web's driver log in ${webLogs}`)
    const webFiles = webLogs.map((file) => [relative(env.home, file), readFileSync(file, 'utf8')] as const)
    await env.remove('web')
    await waitFor(async () => (await env.get('web')) === undefined, 'web to be gone', 60_000)
    assert.equal((await controllers[1].stop()).code, 0)
    assert.match(controllers[1].output().stderr, /^\{.*"msg"/m, 'JSON log lines')

    // Then no secret is anywhere a user without Secret rights, or a log collector, can read
    const found: string[] = []
    const clusters = (await env.objects.listNamespacedCustomObject({...CLUSTERS, namespace: env.namespace})) as {items: unknown[]}
    assert.equal(clusters.items.length, 1, 'flaky is left to scan')
    found.push(...leaks('Cluster objects', JSON.stringify(clusters), secrets), ...leaks('Cluster web before its delete', JSON.stringify(before), secrets))
    const events = await env.core.listNamespacedEvent({namespace: env.namespace})
    assert.ok(events.items.length > 5, 'Events to scan')
    found.push(...leaks('Events', JSON.stringify(events), secrets))
    for (const [i, controller] of controllers.entries()) {
      const {stdout, stderr} = controller.output()
      found.push(...leaks(`controller ${i === 0 ? 'text' : 'JSON'} stdout`, stdout, secrets), ...leaks(`controller ${i === 0 ? 'text' : 'JSON'} stderr`, stderr, secrets))
    }
    const files = filesUnder(env.home, sampleCloud(env.home))
    assert.ok(files.some((file) => file.endsWith('/flaky/driver.log')), `flaky's driver log in ${files.map((f) => relative(env.home, f))}`)
    for (const file of files) found.push(...leaks(`file ${relative(env.home, file)}`, readFileSync(file, 'utf8'), secrets))
    for (const [file, text] of webFiles) found.push(...leaks(`file ${file}`, text, secrets))
    assert.deepEqual(found, [])
  })
})

// Issue 16: a Cluster whose spec.driver names a URL and checksum gets that driver installed on first
// use (`ke driver install`'s code, checksum verified) and shared by every cluster naming it. The driver
// is a real grpc-go driver (test/go), its password option from an optionsFrom Secret.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes} from '../../support/kubernetes.js'
import {startFileServer, type FileServer} from '../../support/file-server.js'
import {ACCESS_KEY, goBuild, goCloud, goDriverEnv} from '../../go/support.js'
import {condition, controllerEnv, type ControllerEnv} from './support.js'

const PATH = '/releases/v1.0.0/kontainer-engine-driver-goexample'

describe('ke controller: a driver from a URL', needsKubernetes, () => {
  let env: ControllerEnv
  let files: FileServer
  let checksum: string
  before(
    async () => {
      const go = await goBuild()
      const bytes = readFileSync(go.driver)
      checksum = createHash('sha256').update(bytes).digest('hex')
      files = await startFileServer({[PATH]: {body: bytes}})
      env = await controllerEnv('ke-ctl-url')
    },
    {timeout: 15 * 60_000},
  )
  after(async () => {
    await env?.dispose()
    await files?.close()
  })

  it('installs it once, checksum verified, and creates two clusters with it', async () => {
    // Given the driver's account key in a Secret, and a controller
    await env.core.createNamespacedSecret({namespace: env.namespace, body: {metadata: {name: 'go-account'}, stringData: {'access-key': ACCESS_KEY}}})
    const controller = env.startController(['--workers', '2'], goDriverEnv(env.home))

    // When two Clusters name the driver by URL and checksum
    const driver = {name: 'goexample', url: files.url(PATH), checksum}
    for (const name of ['alpha', 'beta']) {
      await env.apply(name, {driver, options: {'node-count': 1}, optionsFrom: [{secretRef: {name: 'go-account'}}]})
    }

    // Then both become Running through it
    for (const name of ['alpha', 'beta']) {
      const running = await env.waitForCluster(name, 'Running', (o) => o.status?.phase === 'Running', 120_000)
      assert.equal(condition(running, 'Ready')?.status, 'True')
    }
    assert.equal(Object.keys(goCloud(env.home)).length, 2)
    // and it was downloaded once, and is installed as `ke driver install` installs it
    assert.deepEqual(files.requests.filter((path) => path === PATH), [PATH])
    const installed = JSON.parse((await env.ke(['driver', 'ls', '--json'])).stdout) as Array<{name: string}>
    assert.ok(installed.some((d) => d.name === 'goexample'), JSON.stringify(installed))
    // and the account key is in no Cluster object or log line
    for (const name of ['alpha', 'beta']) assert.ok(!JSON.stringify(await env.get(name)).includes(ACCESS_KEY))
    assert.ok(!controller.lines().join('\n').includes(ACCESS_KEY))
    assert.equal((await controller.stop()).code, 0)
  })
})

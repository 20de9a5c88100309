// The built-in `import` driver (issue 11), run by the built `ke` against an HTTPS stand-in of the
// Kubernetes API on 127.0.0.1 (test/support/kube-standin.ts), for what a real server does not do on
// demand (a token never filled) and for kubeconfig shapes. Everything else runs against the real API
// server in import-kubernetes.test.ts.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {KubeConfig} from '@kubernetes/client-node'
import {
  startKubeStandin,
  writeKubeConfigFile,
  type KubeConfigParams,
  type KubeStandin,
  type KubeStandinOptions,
} from '../support/kube-standin.js'
import {clusterExists, makeHome, readCluster, runKe, runKeJson, type KeResult} from '../support/ke.js'

const ADMIN_TOKEN = 'stand-in-admin-secret-7f3a'

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

describe('import driver › Remove against the stand-in', () => {
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
  it('create with a kubeconfig file that does not exist names the absolute path (stand-in untouched)', async () => {
    // Given a relative path to a file that is not there
    const world = await makeWorld()
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', 'missing.yaml', 'nofile'])

      // Then it is a usage error naming the file, resolved against the user's directory, and nothing is kept
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, new RegExp(`kubeconfig file ${escape(join(world.cwd, 'missing.yaml'))} does not exist`))
      assert.equal(world.standin.requests.length, 0)
      assert.equal(clusterExists(world.home, 'nofile'), false)
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

  it('create against a stand-in whose token controller never fills the token gives up within the wait and asks about it', async () => {
    // Given a stand-in whose token controller never runs, and a one-second wait
    const world = await makeWorld({tokenFillDelayMs: 'never'})
    try {
      // When the import runs
      const result = await world.ke(['create', '--driver', 'import', '--kubeconfig', world.kubeconfig, '--token-wait-seconds', '1', 'notoken'])

      // Then it stops waiting and says what to check
      assertFails(result, /the token of secret cattle-system\/kontainer-engine-notoken-[0-9a-f]{6}-token was not filled in within 1 s: is the token controller running\?/)
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


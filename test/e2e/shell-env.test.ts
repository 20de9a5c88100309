// Issue 20, shell and CI habits: `eval "$(ke env NAME)"` affects only the shell that evaluates it, so
// shells and parallel CI jobs sharing one KE_HOME never cross; `ke rm` removes what env made; every
// kubeconfig file ke writes is YAML as kubectl writes it.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, statSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {KubeConfig} from '@kubernetes/client-node'
import {KE_BIN, collect, keEnv, makeHome, readCluster, runKe} from '../support/ke.js'

/** ke in a shell script: the built ke, run as a user runs it from the checkout. */
const KE = `"${process.execPath}" -- "${KE_BIN}"`

/** Runs a shell script with ke's test environment for `home`. */
function inShell(home: string, script: string) {
  return collect(spawn('sh', ['-c', script], {env: keEnv({home}), stdio: ['pipe', 'pipe', 'pipe']}))
}

/** A shell that evaluates `ke env NAME` and then prints the KUBECONFIG its kubectl would use. */
async function shellAfterEnv(home: string, name: string): Promise<string> {
  const result = await inShell(home, `eval "$(${KE} env ${name})" && printf %s "$KUBECONFIG"`)
  assert.equal(result.code, 0, result.stderr)
  return result.stdout
}

/** Runs `body` in a fresh KE_HOME holding sample-driver clusters `names`, removed afterwards. */
async function withClusters(prefix: string, names: string[], body: (home: string) => Promise<void>): Promise<void> {
  const {home, dispose} = makeHome(prefix)
  try {
    for (const name of names) assert.equal((await runKe(['create', '--driver', 'sample', name], {home})).code, 0)
    await body(home)
  } finally {
    dispose()
  }
}

/** The cluster a kubectl using this kubeconfig file talks to: current context and server. */
function target(path: string): {context: string; server: string | undefined; token: string | undefined} {
  const kc = new KubeConfig()
  kc.loadFromFile(path)
  return {context: kc.getCurrentContext(), server: kc.getCurrentCluster()?.server, token: kc.getCurrentUser()?.token}
}

function expected(home: string, name: string) {
  const info = readCluster(home, name).info
  return {context: name, server: info.endpoint.startsWith('https://') ? info.endpoint : `https://${info.endpoint}`, token: info.serviceAccountToken}
}

/** What kubectl writes: keys sorted, sequences flush with their key, long values on one line. */
function assertKubectlYaml(text: string, what: string): void {
  assert.match(text, /^apiVersion: v1\nclusters:\n- cluster:\n {4}certificate-authority-data: \S+\n {4}server: https:\/\/\S+\n {2}name: /, what)
  assert.match(text, /\ncontexts:\n- context:\n {4}cluster: \S+\n {4}user: \S+\n {2}name: \S+\n(?:[- ].*\n)*current-context: \S*\nkind: Config\npreferences: \{\}\nusers:\n- name: /, what)
  assert.doesNotMatch(text, /^\s*[{[]|>-|insecure-skip-tls-verify: false/m, what)
}

describe('ke env in several shells sharing one KE_HOME', () => {
  let home: string
  let dispose: () => void
  before(async () => {
    ;({home, dispose} = makeHome('ke-env-'))
    for (const name of ['p1', 'p2']) {
      const created = await runKe(['create', '--driver', 'sample', name], {home})
      assert.equal(created.code, 0, created.stderr)
    }
  })
  after(() => dispose())

  it('leaves the first shell talking to p1 after another shell evaluates env p2', async () => {
    // Given a shell that evaluated `ke env p1`
    const first = await shellAfterEnv(home, 'p1')
    // When another shell evaluates `ke env p2`
    const second = await shellAfterEnv(home, 'p2')
    // Then the first shell's kubeconfig still points at p1, the second's at p2
    assert.deepEqual(target(first), expected(home, 'p1'))
    assert.deepEqual(target(second), expected(home, 'p2'))
    assert.notEqual(first, second)
  })

  it('keeps parallel CI jobs apart: each job talks to the cluster it asked for', async () => {
    // When jobs for p1 and p2 evaluate env at the same time
    const jobs = ['p1', 'p2', 'p1', 'p2', 'p2', 'p1']
    const paths = await Promise.all(jobs.map((name) => shellAfterEnv(home, name)))
    // Then every job talks to its own cluster
    paths.forEach((path, i) => assert.deepEqual(target(path), expected(home, jobs[i]), `job ${i} (${jobs[i]})`))
  })

  it('writes a kubeconfig of that cluster alone, private to the user, as kubectl writes YAML', async () => {
    const path = await shellAfterEnv(home, 'p1')
    assert.ok(path.startsWith(home), `${path} is under KE_HOME`)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    const kc = new KubeConfig()
    kc.loadFromFile(path)
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['p1'])
    assertKubectlYaml(readFileSync(path, 'utf8'), 'the cluster kubeconfig')
  })

  it('also lists every cluster in the shared $KE_HOME/kubeconfig, written as kubectl writes YAML', async () => {
    await shellAfterEnv(home, 'p1')
    await shellAfterEnv(home, 'p2')
    const shared = join(home, 'kubeconfig')
    const kc = new KubeConfig()
    kc.loadFromFile(shared)
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['p1', 'p2'])
    assertKubectlYaml(readFileSync(shared, 'utf8'), 'the shared kubeconfig')
  })

  it('prints a standalone kubeconfig with `ke kubeconfig NAME`, as kubectl writes YAML', async () => {
    const result = await runKe(['kubeconfig', 'p2'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertKubectlYaml(result.stdout, 'ke kubeconfig')
    const kc = new KubeConfig()
    kc.loadFromString(result.stdout)
    assert.deepEqual({context: kc.getCurrentContext(), server: kc.getCurrentCluster()?.server, token: kc.getCurrentUser()?.token}, expected(home, 'p2'))
  })
})

describe('ke rm after ke env', () => {
  it('removes the kubeconfig env made and the cluster\'s entries in the shared kubeconfig', async () => {
    // Given two clusters a shell has used through env
    await withClusters('ke-env-rm-', ['gone', 'kept'], async (home) => {
      const gone = await shellAfterEnv(home, 'gone')
      const kept = await shellAfterEnv(home, 'kept')
      // When one is removed
      const rm = await runKe(['rm', '-y', 'gone'], {home})
      assert.equal(rm.code, 0, rm.stderr)
      // Then the kubeconfig env made for it is gone, and so are its entries in the shared one
      assert.equal(existsSync(gone), false, `${gone} removed`)
      const shared = new KubeConfig()
      shared.loadFromFile(join(home, 'kubeconfig'))
      assert.deepEqual(shared.getContexts().map((c) => c.name), ['kept'])
      assert.deepEqual(target(kept), expected(home, 'kept'))
    })
  })

  it('tells the shell whose KUBECONFIG named the removed cluster to unset it, and no other shell', async () => {
    await withClusters('ke-env-rm-stale-', ['gone', 'kept'], async (home) => {
      // Given a shell pointed at `kept`, which removes `gone`
      const other = await inShell(home, `eval "$(${KE} env kept)" && ${KE} rm -y gone`)
      assert.equal(other.code, 0, other.stderr)
      assert.doesNotMatch(other.stderr, /KUBECONFIG/)
      // When a shell pointed at `kept` by env removes `kept` itself
      const own = await inShell(home, `eval "$(${KE} env kept)" && ${KE} rm -y kept`)
      // Then it is removed, and told once what its KUBECONFIG now names and what to do
      assert.equal(own.code, 0, own.stderr)
      assert.equal(own.stdout, 'Removed kept\n')
      const lines = own.stderr.split('\n').filter((line) => line.includes('KUBECONFIG'))
      assert.equal(lines.length, 1, own.stderr)
      const file = join(home, 'clusters', 'kept', 'kubeconfig')
      const said = `KUBECONFIG still names kept's kubeconfig, which rm removed (${file}): run \`unset KUBECONFIG\`, or \`eval "$(`
      assert.ok(lines[0].includes(said) && lines[0].endsWith(' env NAME)"` for another cluster'), lines[0])
    })
  })

  it('warns a shell using the shared kubeconfig when the removed cluster was its current context, and only then', async () => {
    await withClusters('ke-env-rm-shared-', ['first', 'second'], async (home) => {
      // env adds both to the shared kubeconfig; the first one env adds becomes its current context
      for (const name of ['first', 'second']) assert.equal((await runKe(['env', name], {home})).code, 0)
      const shared = join(home, 'kubeconfig')
      const env = {KUBECONFIG: shared}
      // When the cluster that is not current is removed, nothing is said of KUBECONFIG
      const other = await runKe(['rm', '-y', 'second'], {home, env})
      assert.equal(other.code, 0, other.stderr)
      assert.doesNotMatch(other.stderr, /KUBECONFIG/)
      // When the current one is removed, the shell is told its kubeconfig has no current context now
      const current = await runKe(['rm', '-y', 'first'], {home, env})
      assert.equal(current.code, 0, current.stderr)
      assert.ok(current.stderr.includes(`KUBECONFIG names ${shared}, whose current context was first: it has none now; pick one of those left with \`kubectl config use-context NAME\`, or add a cluster with \``), current.stderr)
      assert.match(current.stderr, / env NAME`\n/)
      const kc = new KubeConfig()
      kc.loadFromFile(shared)
      assert.equal(kc.getCurrentContext(), '')
    })
  })

  it('gives the KUBECONFIG without the file when it lists others, and sees through a symlink', async () => {
    await withClusters('ke-env-rm-list-', ['gone', 'also'], async (home) => {
      const file = join(home, 'clusters', 'gone', 'kubeconfig')
      const rm = await runKe(['rm', '-y', 'gone'], {home, env: {KUBECONFIG: ['/nowhere/config', file].join(':')}})
      assert.equal(rm.code, 0, rm.stderr)
      assert.ok(rm.stderr.includes(`KUBECONFIG still names gone's kubeconfig, which rm removed (${file}): run \`export KUBECONFIG="/nowhere/config"\`\n`), rm.stderr)
      // the same home reached through a symlink names the same file
      const link = join(home, 'link')
      symlinkSync(home, link)
      const linked = await runKe(['rm', '-y', 'also'], {home, env: {KUBECONFIG: join(link, 'clusters', 'also', 'kubeconfig')}})
      assert.equal(linked.code, 0, linked.stderr)
      assert.match(linked.stderr, /KUBECONFIG still names also's kubeconfig, which rm removed .*: run `unset KUBECONFIG`/)
    })
  })
})

// Which API server and namespace `--store kubernetes[:CONTEXT][/NAMESPACE]` means: the kubeconfig as
// kubectl finds it (KUBECONFIG list, else ~/.kube/config), real files in a temp dir.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {KeError} from '../../../src/errors.js'
import {loadKubeConfig, selectTarget} from '../../../src/store/kubernetes/connect.js'

const dir = mkdtempSync(join(tmpdir(), 'ke-kconnect-'))

function kubeconfig(file: string, current: string | undefined, contexts: Array<{name: string; namespace?: string}>): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:']
  for (const {name} of contexts) lines.push(`- name: ${name}`, '  cluster:', `    server: https://${name}.example:6443`)
  lines.push('users:', '- name: u', '  user:', '    token: t', 'contexts:')
  for (const {name, namespace} of contexts) lines.push(`- name: ${name}`, '  context:', `    cluster: ${name}`, '    user: u', ...(namespace ? [`    namespace: ${namespace}`] : []))
  if (current) lines.push(`current-context: ${current}`)
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`)
  return join(dir, file)
}

describe('Kubernetes store › finding the API server', () => {
  after(() => rmSync(dir, {recursive: true, force: true}))

  it("uses the current context and its namespace, else `default`; a named context and namespace win", async () => {
    const file = kubeconfig('one', 'dev', [{name: 'dev', namespace: 'team-a'}, {name: 'prod'}])
    const env = {KUBECONFIG: file}

    const current = selectTarget(await loadKubeConfig(env), {kind: 'kubernetes'})
    const prod = selectTarget(await loadKubeConfig(env), {kind: 'kubernetes', context: 'prod'})
    const named = selectTarget(await loadKubeConfig(env), {kind: 'kubernetes', context: 'dev', namespace: 'ke'})

    assert.deepEqual([current.kc.getCurrentCluster()?.server, current.namespace, current.label], ['https://dev.example:6443', 'team-a', 'kubernetes:dev/team-a'])
    assert.deepEqual([prod.kc.getCurrentCluster()?.server, prod.namespace, prod.label], ['https://prod.example:6443', 'default', 'kubernetes:prod/default'])
    assert.deepEqual([named.namespace, named.label], ['ke', 'kubernetes:dev/ke'])
  })

  it('merges a KUBECONFIG list as kubectl does: the first current-context and the first of a repeated name win, contexts of every file count', async () => {
    const first = kubeconfig('a', 'alpha', [{name: 'alpha'}])
    const second = kubeconfig('b', 'beta', [{name: 'beta', namespace: 'b-ns'}])
    const env = {KUBECONFIG: `${join(dir, 'missing')}:${first}:${second}`}

    assert.equal(selectTarget(await loadKubeConfig(env), {kind: 'kubernetes'}).label, 'kubernetes:alpha/default')
    assert.equal(selectTarget(await loadKubeConfig(env), {kind: 'kubernetes', context: 'beta'}).label, 'kubernetes:beta/b-ns')
  })

  it('says KUBECONFIG names a missing file rather than calling it unset', async () => {
    // Given KUBECONFIG pointing at a file that is not there (and a home without one)
    const missing = join(dir, 'no-such-kubeconfig')
    const env = {KUBECONFIG: missing, HOME: join(dir, 'empty-home')}

    // Then the one line names the missing file
    await assert.rejects(loadKubeConfig(env), (error: unknown) =>
      error instanceof KeError && error.exitCode === 2 && error.message === `the Kubernetes store needs a kubeconfig: KUBECONFIG names a file that does not exist (${missing})`)
  })

  it('reads ~/.kube/config when KUBECONFIG is unset, and says so in one line when there is no kubeconfig', async () => {
    // Given a home without a kubeconfig
    const home = join(dir, 'home')
    mkdirSync(join(home, '.kube'), {recursive: true})

    // Then the store says what it looked for
    await assert.rejects(loadKubeConfig({HOME: home}), (error: unknown) =>
      error instanceof KeError && error.exitCode === 2 && error.message === 'the Kubernetes store needs a kubeconfig: KUBECONFIG is unset and ~/.kube/config does not exist')

    // And once there is one, it is used
    writeFileSync(join(home, '.kube', 'config'), readFileSync(kubeconfig('home-config', 'laptop', [{name: 'laptop'}])))
    assert.equal(selectTarget(await loadKubeConfig({HOME: home}), {kind: 'kubernetes'}).label, 'kubernetes:laptop/default')
  })

  it('names the contexts there are when the asked one is missing', async () => {
    const kc = await loadKubeConfig({KUBECONFIG: kubeconfig('two', 'dev', [{name: 'dev'}, {name: 'prod'}])})

    assert.throws(() => selectTarget(kc, {kind: 'kubernetes', context: 'staging'}), (error: unknown) =>
      error instanceof KeError && error.exitCode === 2 && error.message === 'the kubeconfig has no context "staging" (it has dev, prod)')
  })
})

// `ke controller` checks before it says "controller started" (newcomer trial): a namespace that does not
// exist (watched, or the leader Lease's), an API server that cannot be reached, and --json, which is
// --log-format json. Each refusal is one line, a non-zero exit, no stack. Real API server.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {needsKubernetes, uniqueName} from '../../support/kubernetes.js'
import {runKe, waitFor} from '../../support/ke.js'
import {controllerEnv, type ControllerEnv} from './support.js'

function assertOneLine(result: {code: number; stderr: string}, text: string | RegExp): void {
  assert.notEqual(result.code, 0, result.stderr)
  assert.match(result.stderr, typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text)
  assert.doesNotMatch(result.stderr, /controller started|\n\s+at /, result.stderr)
}

describe('ke controller › checks before it starts', needsKubernetes, () => {
  let env: ControllerEnv

  before(async () => {
    env = await controllerEnv('ke-ctl-check')
  })
  after(async () => {
    await env?.dispose()
  })

  it('refuses a watched namespace that does not exist, saying how to make it', async () => {
    // Given a namespace nobody made
    const missing = uniqueName('ke-nons')
    // When the controller is started on it
    const result = await runKe(['controller', '--store', `kubernetes:ke-test/${missing}`, '--no-leader-elect'], env.options)
    // Then it exits non-zero with one line naming it and the kubectl line that makes it
    assertOneLine(result, `namespace ${missing} does not exist`)
    assert.match(result.stderr, new RegExp(`kubectl create namespace ${missing}`))
  })

  it('refuses a --lease-namespace that does not exist', async () => {
    const missing = uniqueName('ke-nolease')
    const result = await runKe(['controller', '--store', env.store, '--lease-namespace', missing], env.options)
    assertOneLine(result, `namespace ${missing} does not exist`)
  })

  it('refuses an API server it cannot reach, naming the server', async () => {
    // Given a kubeconfig whose server is a closed port
    const kubeconfig = join(env.home, 'unreachable.yaml')
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: closed, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
        'users: [{name: u, user: {token: nothing}}]',
        'contexts: [{name: ke-test, context: {cluster: closed, user: u, namespace: default}}]',
        'current-context: ke-test',
      ].join('\n'),
    )
    // When the controller is started with it
    const result = await runKe(['controller', '--no-leader-elect', '--probe-address', '127.0.0.1:0'], {...env.options, env: {...env.options.env, KUBECONFIG: kubeconfig}})
    // Then it exits non-zero with one line: the server cannot be reached
    assertOneLine(result, /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1: connection refused/)
    assert.doesNotMatch(result.stderr, /probes listening/)
  })

  it('takes --json as --log-format json', async () => {
    // When the controller is started with --json
    const controller = env.startController(['--json'])
    // Then its log is JSON lines, and it starts and stops as ever
    await waitFor(() => controller.lines().some((line) => line.includes('controller started')), 'the controller to start', 30_000)
    assert.equal((await controller.stop()).code, 0)
    for (const line of controller.lines()) assert.equal(typeof JSON.parse(line).msg, 'string', line)
  })
})

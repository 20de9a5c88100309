// A kubeconfig whose certificate authority did not sign the API server's certificate (a rebuilt
// cluster, a copied kubeconfig), against the run's REAL API server: a store command and the controller
// each say so in one line that tells what to check once, not twice.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {makeHome, runKe} from '../support/ke.js'
import {kubeConfigAs, kubernetes, needsKubernetes, type TestKubernetes} from '../support/kubernetes.js'

/** A real certificate authority that did not sign the test API server's certificate: the system's first. */
function anotherCa(): string {
  const bundle = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')
  return bundle.slice(bundle.indexOf('-----BEGIN CERTIFICATE-----'), bundle.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length) + '\n'
}

describe('a kubeconfig with the wrong certificate authority', needsKubernetes, () => {
  let kube: TestKubernetes
  let home: string
  let dispose: () => void
  let kubeconfig: string
  before(async () => {
    kube = await kubernetes()
    ;({home, dispose} = makeHome('ke-untrusted-'))
    kubeconfig = join(home, 'kubeconfig.yaml')
    writeFileSync(kubeconfig, kubeConfigAs(kube, {token: 'any-token'}, {caPem: anotherCa()}).exportConfig())
  })
  after(() => dispose())

  it('ke ls and ke controller name the untrusted certificate in one line, with one thing to check', async () => {
    // Given the real API server through a kubeconfig with another CA
    const env = {KUBECONFIG: kubeconfig, KE_STORE: undefined}
    // When a store command and the controller start
    const ls = await runKe(['ls', '--store', 'kubernetes:real/default'], {home, env})
    const controller = await runKe(['controller', '--store', 'kubernetes:real/default', '--no-leader-elect'], {home, env})
    // Then each exits 1 with one line: the certificate is not trusted, check the CA (and nothing stacked after it)
    const untrusted = `the certificate of the Kubernetes API at ${kube.server} is not trusted: `
    assert.equal(ls.code, 1, ls.stderr)
    assert.equal(ls.stderr.trim().split('\n').length, 1, ls.stderr)
    assert.ok(ls.stderr.startsWith(`Error: Kubernetes store kubernetes:real/default: ${untrusted}`), ls.stderr)
    assert.match(ls.stderr, /\); check the cluster's certificate authority in the kubeconfig\n$/)
    assert.equal(controller.code, 1, controller.stderr)
    assert.equal(controller.stderr.trim().split('\n').length, 1, controller.stderr)
    assert.ok(controller.stderr.startsWith(`Error: ${untrusted}`), controller.stderr)
    assert.match(controller.stderr, /; check the cluster's certificate authority in the kubeconfig \(--store kubernetes:CONTEXT picks another context\)\n$/)
  })
})

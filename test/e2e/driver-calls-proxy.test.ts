// ke calls its driver on 127.0.0.1 itself, whatever proxy the environment names: the calls carry the
// driver secret and the options in the clear. The built ke dials with grpc-js's client half
// (dist/b/vendor/grpc-client.cjs), which has no DNS resolver to reach a proxy by name: a client that
// asked for one would fail to be made at all.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {makeHome, runKe} from '../support/ke.js'

// and nothing exempted (grpc-js reads no_grpc_proxy before no_proxy)
const PROXIES = {http_proxy: 'http://proxy.invalid:3128', https_proxy: 'http://proxy.invalid:3128', grpc_proxy: 'http://proxy.invalid:3128', no_proxy: '', no_grpc_proxy: ''}

describe('driver calls with a proxy set for everything', () => {
  for (const [way, env] of [['without oclif', PROXIES], ['through oclif', {...PROXIES, KE_DIRECT: '0'}]] as const) {
    it(`create, version get and rm reach the driver itself (${way})`, async () => {
      const {home, dispose} = makeHome()
      try {
        const created = await runKe(['create', '--driver', 'sample', 'alpha'], {home, env})
        assert.equal(created.code, 0, created.stderr)
        const version = await runKe(['version', 'get', 'alpha'], {home, env})
        assert.equal(version.code, 0, version.stderr)
        assert.match(version.stdout, /^v\d+\.\d+\.\d+\n$/)
        const removed = await runKe(['rm', '-y', 'alpha'], {home, env})
        assert.equal(removed.code, 0, removed.stderr)
        assert.equal(removed.stdout, 'Removed alpha\n')
      } finally {
        dispose()
      }
    })
  }
})

// ke dials a driver by an ipv4: or ipv6: target: grpc-js then takes the address as it is, where a bare
// HOST:PORT would make it a DNS resolver (and load Node's dns) for a name that is never one. And
// never through a proxy: the calls carry the driver secret and the options, in the clear.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {driverClientFor} from '../../../src/driver/rpc/client.js'

describe('driverClientFor', () => {
  it("dials 127.0.0.1:PORT as ipv4: and [::1]:PORT (an --attach address) as ipv6:", async () => {
    const v4 = await driverClientFor('127.0.0.1:5')
    const v6 = await driverClientFor('[::1]:5')
    try {
      assert.equal(v4.getChannel().getTarget(), 'ipv4:127.0.0.1:5')
      assert.equal(v6.getChannel().getTarget(), 'ipv6:[::1]:5')
    } finally {
      v4.close()
      v6.close()
    }
  })

  it('dials the driver itself when a proxy is set for everything', async () => {
    const before = {...process.env}
    Object.assign(process.env, {https_proxy: 'http://proxy.invalid:1', http_proxy: 'http://proxy.invalid:1', grpc_proxy: 'http://proxy.invalid:1', no_proxy: ''})
    const client = await driverClientFor('127.0.0.1:5')
    try {
      assert.equal(client.getChannel().getTarget(), 'ipv4:127.0.0.1:5')
    } finally {
      client.close()
      for (const key of ['https_proxy', 'http_proxy', 'grpc_proxy', 'no_proxy']) {
        if (before[key] === undefined) delete process.env[key]
        else process.env[key] = before[key]
      }
    }
  })
})

// ke dials a driver by an ipv4: or ipv6: target: grpc-js then takes the address as it is, where a bare
// HOST:PORT would make it a DNS resolver (and load Node's dns) for a name that is never one.
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
})

// `ke driver verify --full` against the real grpc-go driver (test/go/driver): a driver made the way
// Rancher's third-party drivers are must keep the contract by ke's checks.
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import {makeHome, runKeJson} from '../support/ke.js'
import {goBuild, goCloud, goDriverEnv, readRecords, type GoBuild} from './support.js'

describe('go driver › ke driver verify', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  it('passes --full, exercising every claimed call, and leaves nothing in its cloud', async (t) => {
    // Given the Go driver and the access key it requires
    const {home, dispose} = makeHome('ke-go-verify-')
    t.after(dispose)
    const env = goDriverEnv(home)

    // When it is verified with --full
    const result = await runKeJson(['driver', 'verify', '--full', '--driver', go.driver, '--access-key', 'ak-verify-5c1e'], {home, env, timeoutMs: 120_000})

    // Then no check failed, the lifecycle ran each claimed call, and its cloud is empty again
    const failed = result.json.checks.filter((c: any) => c.status === 'fail').map((c: any) => `${c.name}: ${c.reason}`)
    assert.deepEqual(failed, [], result.stderr)
    assert.equal(result.code, 0, result.stderr)
    // the Go driver reports its provider's status (PROVISIONED), as real drivers do: a warning, not a failure
    const lifecycle = result.json.checks.filter((c: any) => c.group === 'lifecycle' && c.status !== 'pass').map((c: any) => `${c.name} ${c.status}`)
    assert.deepEqual(lifecycle, ['lifecycle.status warn'])
    const methods = readRecords(env.GO_DRIVER_RECORD).map((r) => r.method)
    for (const method of ['Create', 'PostCheck', 'GetVersion', 'SetVersion', 'GetNodeCount', 'SetNodeCount', 'ETCDSave', 'ETCDRestore', 'ETCDRemoveSnapshot', 'Remove']) {
      assert.ok(methods.includes(method), `the Go driver never got ${method}: ${methods.join(', ')}`)
    }
    assert.deepEqual(goCloud(home), {})
  })
})

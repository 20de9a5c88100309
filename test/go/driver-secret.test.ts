// Issue 18: a Go driver cannot know ke's driver secret, so it answers a call without it; `ke driver
// verify` says so as a warning, not a failure.
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import {makeHome, runKeJson} from '../support/ke.js'
import {goBuild, goDriverEnv, type GoBuild} from './support.js'

describe('go driver › driver secret', () => {
  let go: GoBuild

  before(
    async () => {
      go = await goBuild()
    },
    {timeout: 15 * 60_000},
  )

  it('ke driver verify warns that the Go driver answered a call without the secret it was given', async (t) => {
    const {home, dispose} = makeHome('ke-go-secret-')
    t.after(dispose)
    // When the Go driver is verified
    const result = await runKeJson(['driver', 'verify', '--driver', go.driver], {home, env: goDriverEnv(home), timeoutMs: 120_000})
    // Then start-up.secret warns that it answered without the secret, and verify still passes
    const secret = result.json.checks.find((c: any) => c.name === 'start-up.secret')
    assert.equal(secret?.status, 'warn', JSON.stringify(secret))
    assert.match(secret.reason, /^answered a call without the secret ke gave it \(KE_DRIVER_SECRET\)/)
    assert.equal(result.code, 0, result.stderr)
  })
})

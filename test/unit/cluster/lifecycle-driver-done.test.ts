// The lifecycle tells its caller once the driver has answered an operation's last call (deps.driverDone):
// the CLI then starts stopping the driver process while the last record is written (cluster/create-flow.ts,
// remove-flow.ts, update-flow.ts). Told exactly once, only after that call answered, never after a failure.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createLocked, updateCluster} from '../../../src/cluster/lifecycle.js'
import {removeCluster} from '../../../src/cluster/operations.js'
import type {ClusterRecord} from '../../../src/store/cluster-record.js'
import {fakeInfo} from '../../support/fake-driver.js'
import {createRequest, NAME, options, world, type World} from '../../support/lifecycle.js'

/** deps that note, at each driverDone, the driver's calls so far, the stored status, and whether TOKEN (below) is known as a secret. */
function noting(w: World, command: string) {
  const told: Array<{calls: string[]; stored: string | undefined; tokenRedacted: boolean}> = []
  const driverDone = () =>
    told.push({calls: w.driver.calls.map((call) => call.method), stored: w.store.peek(NAME)?.status, tokenRedacted: !w.redactor.redact(TOKEN).includes(TOKEN)})
  return {deps: {...w.deps(command), driverDone}, told}
}

// a driver stopped at driverDone writes out the log lines it held, redacted with the secrets known then:
// PostCheck's reply, a token of its own, must be known by then
const TOKEN = 'post-check-token-9876543210'
const checkedWithToken = async () => fakeInfo({serviceAccountToken: TOKEN})

async function running(w: World): Promise<ClusterRecord> {
  return (await createLocked(w.deps(), w.driver, createRequest())).cluster
}

describe('lifecycle › telling when the driver is done', () => {
  it('create: once, after PostCheck answered and its secrets are known, before Running is saved', async () => {
    const w = world()
    w.driver.next('postCheck', checkedWithToken)
    const {deps, told} = noting(w, 'create')

    const {cluster} = await createLocked(deps, w.driver, createRequest())

    assert.deepEqual(told, [{calls: ['create', 'postCheck'], stored: 'Post-Checking', tokenRedacted: true}])
    assert.equal(cluster.status, 'Running')
  })

  it('update: once, after PostCheck answered and its secrets are known, before Running is saved', async () => {
    const w = world()
    const cluster = await running(w)
    w.driver.next('postCheck', checkedWithToken)
    const {deps, told} = noting(w, 'update')

    await updateCluster(deps, w.driver, cluster, {options: options(), storedOptions: {region: 'eu'}})

    assert.deepEqual(told, [{calls: ['create', 'postCheck', 'update', 'postCheck'], stored: 'Post-Checking', tokenRedacted: true}])
  })

  it('rm: once, after Remove answered and while the record is still there', async () => {
    const w = world()
    const cluster = await running(w)
    const {deps, told} = noting(w, 'rm')

    await removeCluster(deps, w.driver, cluster, false)

    assert.deepEqual(told.map(({calls, stored}) => ({calls, stored})), [{calls: ['create', 'postCheck', 'remove'], stored: 'Removing'}])
    assert.equal(w.store.peek(NAME), undefined)
  })

  it('never when a call fails: a failed Create, PostCheck or Remove keeps the driver for the report', async () => {
    for (const method of ['create', 'postCheck'] as const) {
      const w = world()
      w.driver.failNext(method)
      const {deps, told} = noting(w, 'create')
      await assert.rejects(createLocked(deps, w.driver, createRequest()))
      assert.deepEqual(told, [], method)
    }
    const w = world()
    const cluster = await running(w)
    w.driver.failNext('remove')
    const {deps, told} = noting(w, 'rm')
    await assert.rejects(removeCluster(deps, w.driver, cluster, false))
    assert.deepEqual(told, [])
  })
})

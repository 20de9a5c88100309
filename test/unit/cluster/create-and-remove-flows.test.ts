// Issue 19: the create and rm flows in process, with the driver opener, store and parse as seams: what
// is refused before any driver starts, how a retry reuses stored options, and where the log goes.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runCreate, type CreateInput} from '../../../src/cluster/create-flow.js'
import type {FlowContext} from '../../../src/cluster/flow.js'
import {runRemove} from '../../../src/cluster/remove-flow.js'
import type {OpenDriverRequest} from '../../../src/driver/run/session.js'
import {Supervisor} from '../../../src/driver/run/supervisor.js'
import type {DriverFlags, DriverOptions} from '../../../src/protocol/types.js'
import {KeError} from '../../../src/errors.js'
import {NAME, world} from '../../support/lifecycle.js'

const CREATE_OPTIONS: DriverFlags = {
  region: {type: 'string', usage: 'region', value: '', password: false},
  'node-count': {type: 'int', usage: 'nodes', value: '1', password: false},
}

function flowWorld() {
  const w = world({createOptions: CREATE_OPTIONS})
  const opened: OpenDriverRequest[] = []
  const warnings: string[] = []
  const ctx: FlowContext = {
    ...w.deps(),
    progress: {stage: () => {}, warn: (text) => warnings.push(text), done: () => {}},
    home: '/nonexistent/ke-flow-spec',
    cwd: '/',
    env: {},
    supervisor: new Supervisor(),
    openDriver: async (req) => {
      opened.push(req)
      return w.driver
    },
  }
  /** `ke create --driver fake c1` with these flags. */
  const input = (flags: Record<string, unknown> = {}): CreateInput => ({
    driver: 'fake',
    name: {certain: NAME, possible: [NAME]},
    reservedFlags: new Set(['driver']),
    settings: {},
    parse: async () => ({args: {name: NAME}, flags}),
  })
  return {...w, ctx, opened, warnings, input}
}

function isKe(code: string, exit?: number) {
  return (error: unknown) => error instanceof KeError && error.keCode === code && (exit === undefined || error.exitCode === exit)
}

describe('create flow', () => {
  it('turns a create of a busy cluster away before starting its driver (exit 4), writing nothing', async () => {
    // Given the cluster's lock held by another command
    const f = flowWorld()
    const release = await f.store.lock(NAME, 'ke rm c1')

    // When it is created
    await assert.rejects(runCreate(f.ctx, f.input({region: 'eu'})), isKe('CLUSTER_BUSY', 4))

    // Then no driver was opened and nothing is stored
    assert.deepEqual([f.opened, f.store.peek(NAME)], [[], undefined])
    await release()
  })

  it('refuses a create of a Running cluster with CLUSTER_EXISTS and sends no second Create', async () => {
    // Given a Running cluster
    const f = flowWorld()
    await runCreate(f.ctx, f.input({region: 'eu'}))

    // When it is created again
    await assert.rejects(runCreate(f.ctx, f.input({region: 'eu'})), isKe('CLUSTER_EXISTS', 4))

    // Then the driver got one Create only
    assert.equal(f.driver.callsOf('create').length, 1)
  })

  it('retries with the options stored by the failed create, says which, and lets a flag given now win', async () => {
    // Given a create with region eu and 5 nodes whose PostCheck failed
    const f = flowWorld()
    f.driver.failNext('postCheck')
    await assert.rejects(runCreate(f.ctx, f.input({region: 'eu', 'node-count': 5})))

    // When it is retried with only --region us
    const outcome = await runCreate(f.ctx, f.input({region: 'us'}))

    // Then Create got region us and the stored 5 nodes, and a warning named the reused option
    const sent = f.driver.callsOf('create')[1].args[0] as DriverOptions
    assert.deepEqual([sent.stringOptions.region, sent.intOptions['node-count']], ['us', 5])
    assert.ok(f.warnings.some((line) => line.includes('retrying with options stored by the earlier create: node-count=5')), f.warnings.join('\n'))
    assert.ok(!outcome.dryRun && outcome.retried)
    // and said that it resumes from the ClusterInfo the driver returned, which Create got back
    assert.ok(f.warnings.some((line) => line.startsWith('resuming ') && line.includes('ClusterInfo')), f.warnings.join('\n'))
    assert.notEqual(f.driver.callsOf('create')[1].args[1], undefined)
  })

  it("points the driver's log at the cluster and names the cluster once its record exists", async () => {
    // When a cluster is created
    const f = flowWorld()
    await runCreate(f.ctx, f.input({region: 'eu'}))

    // Then the driver's output goes to the store's log path for it, and its errors name it
    assert.deepEqual([f.driver.logFile, f.driver.cluster], [f.store.logPath(NAME), NAME])
  })

  it('says how to go on from an interrupted create', async () => {
    // Given a Create that runs until ke is interrupted
    const f = flowWorld()
    f.driver.hangNext('create')
    const creating = runCreate(f.ctx, f.input({region: 'eu'}))
    await f.driver.called('create')

    // When the interruption comes
    f.interrupt.abort('SIGINT')

    // Then the error says that create retries, and that rm could not remove what the driver made (it returned no state yet), and the record is a resumable Error
    await assert.rejects(creating, (error: unknown) => isKe('CANCELLED')(error) && /`ke create c1` retries it; the driver had not returned the cluster's state yet, so `ke rm c1` could only drop the record/.test((error as KeError).hint ?? ''))
    assert.equal(f.store.peek(NAME)?.status, 'Error')
  })

  it('writes nothing and sends no Create on --dry-run', async () => {
    // When a dry run is asked
    const f = flowWorld()
    const outcome = await runCreate(f.ctx, f.input({region: 'eu', 'dry-run': true}))

    // Then the outcome shows the options, the driver got no Create, nothing is stored
    assert.ok(outcome.dryRun && outcome.options.stringOptions.region === 'eu')
    assert.deepEqual([f.driver.callsOf('create'), f.store.peek(NAME)], [[], undefined])
  })
})

describe('rm flow', () => {
  it('turns rm of a busy cluster away before starting its driver (exit 4), keeping the record', async () => {
    // Given a Running cluster whose lock another command holds
    const f = flowWorld()
    await runCreate(f.ctx, f.input({region: 'eu'}))
    const opened = f.opened.length
    const release = await f.store.lock(NAME, 'ke update c1')

    // When it is removed
    await assert.rejects(runRemove({...f.ctx, command: 'rm'}, NAME, {force: false}), isKe('CLUSTER_BUSY', 4))

    // Then no driver was opened for it and the record is still Running
    assert.deepEqual([f.opened.length, f.store.peek(NAME)?.status], [opened, 'Running'])
    await release()
  })

  it("removes with the stored info through the cluster's own driver, then drops the record", async () => {
    // Given a Running cluster
    const f = flowWorld()
    const created = await runCreate(f.ctx, f.input({region: 'eu'}))

    // When it is removed
    const outcome = await runRemove({...f.ctx, command: 'rm'}, NAME, {force: false})

    // Then the driver opened is the bound one, its Remove got the info, and the record is gone
    assert.ok(!created.dryRun)
    assert.equal(f.opened.at(-1)?.ref, 'fake')
    assert.deepEqual([f.driver.callsOf('remove')[0].args[0], outcome.driverRemoved, f.store.peek(NAME)], [created.cluster.info, true, undefined])
  })
})

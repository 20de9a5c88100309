// Issue 18, interrupted work cleans up: Ctrl-C during `ke driver verify --full` lets the call under way
// finish and still removes what verify made; a second Ctrl-C stops at once and says what may remain.
import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {collect, makeHome, sampleCloud, sampleRequests, startKe, waitFor} from '../support/ke.js'
import {driverRecords} from './safety-support.js'

function cloudClusters(home: string): string[] {
  const dir = join(sampleCloud(home), 'clusters')
  return existsSync(dir) ? readdirSync(dir) : []
}

/** Starts `ke driver verify --full` against the sample and waits until the driver is inside Create. */
async function verifyInsideCreate(home: string, createSeconds: number) {
  const ke = startKe(['driver', 'verify', '--full', '--driver', 'sample', '--create-seconds', String(createSeconds)], {home})
  let stderr = ''
  ke.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = collect(ke, {timeoutMs: 120_000})
  await waitFor(() => sampleRequests(home).some((r) => r.method === 'Create'), 'the driver to receive Create')
  return {ke, done, stderr: () => stderr}
}

describe('Ctrl-C during ke driver verify --full', () => {
  it('lets Create finish, skips to the clean-up, and the driver receives Remove for what Create made', async (t) => {
    const {home, dispose} = makeHome('ke-verify-int-')
    t.after(dispose)
    // Given verify --full whose driver is inside a Create that takes a few seconds
    const {ke, done} = await verifyInsideCreate(home, 3)
    t.after(() => ke.kill('SIGKILL'))
    // When the user presses Ctrl-C once
    ke.kill('SIGINT')
    const result = await done
    // Then ke exits 130, saying what it did
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /Warning: interrupted: verify finishes the call under way, then removes what it made; press Ctrl-C again to stop at once/)
    assert.equal(result.stderr.trim().split('\n').at(-1), 'Error: interrupted: verify of sample stopped early; what it made was removed')
    // and after Create the driver received only Remove, for the cluster Create made, which is gone
    const methods = sampleRequests(home).map((r) => r.method)
    assert.deepEqual(methods.slice(methods.indexOf('Create')), ['Create', 'Remove'])
    assert.deepEqual(cloudClusters(home), [])
    // and the report says the later checks were skipped because of the interruption
    assert.match(result.stdout, /skip {2}lifecycle\.post-check +interrupted: skipped to the clean-up/)
    assert.match(result.stdout, /pass {2}lifecycle\.remove +Remove answered/)
  })

  it('a second Ctrl-C stops at once and names the cluster that may remain', async (t) => {
    const {home, dispose} = makeHome('ke-verify-int2-')
    t.after(dispose)
    // Given verify --full whose driver is inside a Create that takes minutes
    const {ke, done, stderr} = await verifyInsideCreate(home, 120)
    t.after(() => ke.kill('SIGKILL'))
    // When the user presses Ctrl-C, and again once ke said it is waiting
    ke.kill('SIGINT')
    await waitFor(() => stderr().includes('press Ctrl-C again'), 'ke to say it waits for the call under way')
    ke.kill('SIGINT')
    const result = await done
    // Then ke exits 130 at once, naming the cluster that may remain
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /Warning: stopped at once: cluster ke-verify-[0-9a-f]+, whose Create was under way, may remain; remove it with the provider's own tools/)
    // and indeed it remains: no Remove was sent, and the driver was stopped
    assert.ok(!sampleRequests(home).some((r) => r.method === 'Remove'))
    assert.equal(cloudClusters(home).length, 1)
    assert.deepEqual(driverRecords(home), [])
  })
})

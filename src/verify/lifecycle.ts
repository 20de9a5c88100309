// The lifecycle checks (`--full`): a real cluster made with the options given, checked, exercised
// through the calls the driver claims, and removed. Whatever was made is removed in `finally`, even
// when a step fails: the record of what exists is updated after every call that may have made something.
import {randomBytes} from 'node:crypto'
import {emptyDriverOptions, type Capabilities, type ClusterDriver, type ClusterInfo, type DriverOptions} from '../protocol/types.js'
import {answersOf, attempt, type CallResult} from './calls.js'
import {fail, pass, skip, warn, type CheckName, type Outcome, type Recorder} from './checks.js'
import type {CleanUpGuard, VerifyHooks} from './types.js'

/** What exists because of this run; cleanup reads it. */
interface Made {
  /** The latest info the driver returned for the cluster (Create's, even with create_error). */
  info?: ClusterInfo
  snapshot?: string
  /** ETCDRemoveSnapshot was tried by its check: cleanup does not try again. */
  snapshotHandled?: boolean
}

export interface LifecycleRequest extends VerifyHooks {
  options: DriverOptions
  clusterName?: string
}

function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`
}

/** The host always sends `name`, and Rancher `displayName` beside it (PROTOCOL.md). */
function withHostNames(options: DriverOptions, name: string): DriverOptions {
  return {...options, stringOptions: {...options.stringOptions, name, displayName: name}}
}

/** ke and Rancher store the info as JSON and send the stored copy back on every later call. */
function stored(info: ClusterInfo): ClusterInfo {
  return JSON.parse(JSON.stringify(info)) as ClusterInfo
}

function parseJson(text: string): {ok: true; value: unknown} | {ok: false; error: string} {
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch (error) {
    return {ok: false, error: (error as Error).message}
  }
}

function checkStateJson(info: ClusterInfo): Outcome {
  const state = info.metadata.state
  if (!state) return warn('Create returned no metadata.state: later calls get only the info fields to find the cluster by')
  const parsed = parseJson(state)
  if (!parsed.ok) return fail(`metadata.state is not JSON (${parsed.error}): Rancher flattens it into the options of Update`)
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    return warn('metadata.state is JSON but not an object: Rancher can flatten only an object into the options of Update')
  }
  const keys = Object.keys(parsed.value).length
  return pass(`metadata.state is a JSON object with ${keys} ${keys === 1 ? 'key' : 'keys'}`)
}

function checkStateRoundTrip(created: ClusterInfo, checked: ClusterInfo): Outcome {
  if (!created.metadata.state || !parseJson(created.metadata.state).ok) return skip('Create returned no JSON state')
  const state = checked.metadata.state
  if (!state) return fail('PostCheck dropped metadata.state: hosts store the info PostCheck returns, so later calls would get no driver state')
  if (!parseJson(state).ok) return fail('metadata.state that PostCheck returned is no longer JSON')
  return pass('PostCheck got the stored state back and returned it as JSON')
}

/**
 * kontainer-engine copies the driver's status into the cluster's stored status after Update, and its
 * Create recognises an existing cluster only by `Running` (PROTOCOL.md, what drivers in the wild do).
 */
function checkStatus(info: ClusterInfo): Outcome {
  if (info.status === 'Running') return pass('status Running')
  if (!info.status) return pass('status left empty: the host keeps its own')
  return warn(`PostCheck returned status ${JSON.stringify(info.status)}: kontainer-engine stores it as the cluster's status after an Update and then no longer sees a running cluster; return "Running" (or leave it empty)`)
}

/** Create, then PostCheck and what it must return. Resolves with the checked info, or undefined. */
async function createAndCheck(driver: ClusterDriver, req: LifecycleRequest, rec: Recorder, made: Made, interrupted: () => boolean): Promise<ClusterInfo | undefined> {
  const name = req.clusterName ?? randomName('ke-verify')
  const create = await rec.run('lifecycle.create', async () => {
    req.cleanUpGuard?.mayRemain(`cluster ${name}, whose Create was under way,`)
    const info = await driver.create(withHostNames(req.options, name), undefined)
    made.info = info
    req.cleanUpGuard?.mayRemain(`cluster ${name}`)
    req.onSecret?.(info.serviceAccountToken, info.password, info.clientKey)
    return info.createError ? fail(`Create reported create_error: ${info.createError}`) : pass(`made cluster ${name}`)
  })
  if (made.info) await rec.run('lifecycle.state-json', () => checkStateJson(made.info!))
  if (create.status !== 'pass' || interrupted()) return undefined
  const created = made.info!
  let checked: ClusterInfo | undefined
  await rec.run('lifecycle.post-check', async () => {
    checked = await driver.postCheck(stored(created))
    made.info = checked
    req.onSecret?.(checked.serviceAccountToken, checked.password, checked.clientKey)
    return pass('PostCheck answered')
  })
  if (!checked) return undefined
  const info = checked
  await rec.run('lifecycle.token', () => (info.serviceAccountToken ? pass('service_account_token is set') : fail('PostCheck returned no service_account_token: hosts cannot manage the cluster without it')))
  await rec.run('lifecycle.endpoint', () => (info.endpoint ? pass(`endpoint ${info.endpoint}`) : fail('PostCheck returned no endpoint: hosts cannot reach the cluster')))
  await rec.run('lifecycle.state-round-trip', () => checkStateRoundTrip(created, info))
  await rec.run('lifecycle.status', () => checkStatus(info))
  return stored(info)
}

/** GetVersion then SetVersion to the same version, so nothing changes on a real cluster. */
async function versionCalls(driver: ClusterDriver, caps: Capabilities, rec: Recorder, info: ClusterInfo): Promise<void> {
  let version = info.version
  if (!caps.getVersion) rec.record('lifecycle.get-version', skip('getVersion is not claimed'))
  else {
    await rec.run('lifecycle.get-version', async () => {
      version = await driver.getVersion(info)
      return version ? pass(`version ${version}`) : warn('GetVersion answered an empty version')
    })
  }
  if (!caps.setVersion) rec.record('lifecycle.set-version', skip('setVersion is not claimed'))
  else if (!version) rec.record('lifecycle.set-version', skip('no version known to set it to'))
  else {
    await rec.run('lifecycle.set-version', async () => {
      await driver.setVersion(info, version)
      return pass(`SetVersion ${version} (the version it has) answered`)
    })
  }
}

/** GetNodeCount then SetNodeCount to the same count. */
async function sizeCalls(driver: ClusterDriver, caps: Capabilities, rec: Recorder, info: ClusterInfo): Promise<void> {
  let count = info.nodeCount
  if (!caps.getClusterSize) rec.record('lifecycle.get-node-count', skip('getClusterSize is not claimed'))
  else {
    await rec.run('lifecycle.get-node-count', async () => {
      count = await driver.getNodeCount(info)
      return pass(count === 1 ? '1 node' : `${count} nodes`)
    })
  }
  if (!caps.setClusterSize) rec.record('lifecycle.set-node-count', skip('setClusterSize is not claimed'))
  else if (!count) rec.record('lifecycle.set-node-count', skip('no node count known to set it to'))
  else {
    await rec.run('lifecycle.set-node-count', async () => {
      await driver.setNodeCount(info, count)
      return pass(`SetNodeCount ${count} (the count it has) answered`)
    })
  }
}

const ETCD_CHECKS: CheckName[] = ['lifecycle.etcd-save', 'lifecycle.etcd-restore', 'lifecycle.etcd-remove-snapshot']

/** Save, restore and remove one snapshot; the info the restore returns replaces the one cleanup uses. */
async function etcdCalls(driver: ClusterDriver, rec: Recorder, made: Made, info: ClusterInfo): Promise<void> {
  const snapshot = randomName('ke-verify')
  const options = emptyDriverOptions()
  const save = await rec.run('lifecycle.etcd-save', async () => {
    made.snapshot = snapshot
    await driver.etcdSave(info, options, snapshot)
    return pass(`saved snapshot ${snapshot}`)
  })
  if (save.status !== 'pass') {
    rec.skip(ETCD_CHECKS.slice(1), 'ETCDSave failed')
    return
  }
  let current = info
  await rec.run('lifecycle.etcd-restore', async () => {
    const restored = await driver.etcdRestore(info, options, snapshot)
    // drivers built against the older proto reply Empty: keep the info we have
    if (restored) current = made.info = stored(restored)
    return pass(restored ? `restored ${snapshot}` : `restored ${snapshot} (empty reply, as from a driver built against the older proto)`)
  })
  made.snapshotHandled = true
  await rec.run('lifecycle.etcd-remove-snapshot', async () => {
    const removed = await attempt('ETCDRemoveSnapshot', () => driver.etcdRemoveSnapshot(current, options, snapshot))
    return {...judgeRemoveSnapshot(removed, snapshot), answers: answersOf(removed)}
  })
}

function judgeRemoveSnapshot(removed: CallResult<unknown>, snapshot: string): Outcome {
  if (removed.end === 'answered') return pass(`removed ${snapshot}`)
  // drivers built against the older proto lack the method; Rancher lives with that
  if (removed.end === 'unimplemented') return warn('ETCDRemoveSnapshot is not implemented (a driver built against the older proto); Remove must delete the snapshot with the cluster')
  return fail(removed.error ?? 'ETCDRemoveSnapshot failed')
}

/** Removes what was made: a leftover snapshot (best effort), then the cluster, reported as a check. */
async function cleanUp(driver: ClusterDriver, rec: Recorder, made: Made, cleanUpGuard?: CleanUpGuard): Promise<void> {
  const info = made.info
  if (!info) {
    rec.record('lifecycle.remove', skip('Create returned no info, so there is nothing to remove by; check the provider for leftovers'))
    return
  }
  if (made.snapshot && !made.snapshotHandled) await attempt('ETCDRemoveSnapshot', () => driver.etcdRemoveSnapshot(info, emptyDriverOptions(), made.snapshot!))
  await rec.run('lifecycle.remove', async () => {
    await driver.remove(info)
    cleanUpGuard?.mayRemain(undefined)
    return pass('Remove answered')
  })
}

/** The lifecycle group: Create → PostCheck → the claimed calls → Remove (always, when anything was made). */
export async function runLifecycle(driver: ClusterDriver, caps: Capabilities, req: LifecycleRequest, rec: Recorder): Promise<void> {
  const made: Made = {}
  // Ctrl-C from here on lets the call under way finish and skips to the clean-up
  const stop = req.cleanUpGuard?.arm()
  const interrupted = () => stop?.aborted === true
  try {
    const info = await createAndCheck(driver, req, rec, made, interrupted)
    if (!info || interrupted()) return
    await versionCalls(driver, caps, rec, info)
    if (interrupted()) return
    await sizeCalls(driver, caps, rec, info)
    if (interrupted()) return
    if (caps.etcdBackup) await etcdCalls(driver, rec, made, info)
    else rec.skip(ETCD_CHECKS, 'etcdBackup is not claimed')
  } finally {
    rec.skipRest('lifecycle', interrupted() ? 'interrupted: skipped to the clean-up' : 'an earlier lifecycle step failed', ['lifecycle.remove'])
    await cleanUp(driver, rec, made, req.cleanUpGuard)
    req.cleanUpGuard?.disarm()
  }
}

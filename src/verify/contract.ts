// The contract checks: what GetCapabilities claims against what the methods do, without a cluster.
// Calls carry an empty ClusterInfo, so a driver can find no cluster to act on: refusing is the expected
// answer of an implemented method, UNIMPLEMENTED (or Go's "Marshal called with nil") is not.
import {CAPABILITY_NUMBERS} from '../protocol/capabilities.js'
import {emptyClusterInfo, emptyDriverOptions, type Capabilities, type Capability, type ClusterDriver, type DriverFlags} from '../protocol/types.js'
import {answersOf, attempt, type CallResult} from './calls.js'
import {fail, pass, skip, warn, type CheckName, type Outcome, type Recorder} from './checks.js'

const CONTRACT_SNAPSHOT = 'ke-verify-contract'

function brokenEnd(method: string, result: CallResult<unknown>): string | undefined {
  if (result.end === 'crashed') return `${method} crashed the driver: ${result.error}`
  if (result.end === 'timeout') return `${method} did not answer: ${result.error}`
  return undefined
}

async function checkUnclaimedEtcd(driver: ClusterDriver, timeoutMs: number): Promise<Outcome> {
  const info = emptyClusterInfo()
  const options = emptyDriverOptions()
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['ETCDSave', () => driver.etcdSave(info, options, CONTRACT_SNAPSHOT)],
    ['ETCDRestore', () => driver.etcdRestore(info, options, CONTRACT_SNAPSHOT)],
    ['ETCDRemoveSnapshot', () => driver.etcdRemoveSnapshot(info, options, CONTRACT_SNAPSHOT)],
  ]
  const problems: string[] = []
  const results: Array<CallResult<unknown>> = []
  for (const [method, call] of calls) {
    const result = await attempt(method, call, timeoutMs)
    results.push(result)
    // Rancher takes an empty success for a saved snapshot that does not exist
    if (result.end === 'answered') problems.push(`${method} returned an empty success although etcdBackup is not claimed`)
    const broken = brokenEnd(method, result)
    if (broken) problems.push(broken)
  }
  const outcome = problems.length ? fail(problems.join('; ')) : pass('ETCDSave, ETCDRestore and ETCDRemoveSnapshot return errors')
  return {...outcome, answers: answersOf(...results)}
}

interface ClaimedMethod {
  check: CheckName
  capability: Capability
  method: string
  call: (driver: ClusterDriver) => Promise<unknown>
}

const CLAIMED: ClaimedMethod[] = [
  {check: 'contract.get-version', capability: 'getVersion', method: 'GetVersion', call: (d) => d.getVersion(emptyClusterInfo())},
  {check: 'contract.set-version', capability: 'setVersion', method: 'SetVersion', call: (d) => d.setVersion(emptyClusterInfo(), '')},
  {check: 'contract.get-node-count', capability: 'getClusterSize', method: 'GetNodeCount', call: (d) => d.getNodeCount(emptyClusterInfo())},
  {check: 'contract.set-node-count', capability: 'setClusterSize', method: 'SetNodeCount', call: (d) => d.setNodeCount(emptyClusterInfo(), 0)},
]

async function checkClaimed(driver: ClusterDriver, claimed: ClaimedMethod, timeoutMs: number): Promise<Outcome> {
  const result = await attempt(claimed.method, () => claimed.call(driver), timeoutMs)
  return {...judgeClaimed(claimed, result), answers: answersOf(result)}
}

function judgeClaimed(claimed: ClaimedMethod, result: CallResult<unknown>): Outcome {
  const claim = `${claimed.capability} (capability ${CAPABILITY_NUMBERS[claimed.capability]})`
  if (result.end === 'unimplemented') return fail(`claims ${claim} but ${claimed.method} is not implemented: ${result.error}`)
  const broken = brokenEnd(claimed.method, result)
  if (broken) return fail(broken)
  if (result.end === 'answered') return pass(`${claimed.method} answered`)
  return pass(`${claimed.method} is implemented (it refused an empty ClusterInfo: ${result.error})`)
}

/** The contract group. Set* get an empty ClusterInfo too, so nothing can change. */
export async function checkContract(driver: ClusterDriver, caps: Capabilities, rec: Recorder, opts: {full: boolean; timeoutMs: number}): Promise<void> {
  // only selected checks call the driver
  if (caps.etcdBackup) {
    rec.record('contract.etcd-unclaimed', skip(`etcdBackup is claimed: ${opts.full ? 'the lifecycle checks exercise the ETCD methods' : 'run with --full to exercise the ETCD methods'}`))
  } else if (rec.wants('contract.etcd-unclaimed')) {
    await rec.run('contract.etcd-unclaimed', () => checkUnclaimedEtcd(driver, opts.timeoutMs))
  }
  for (const claimed of CLAIMED) {
    if (!caps[claimed.capability]) rec.record(claimed.check, skip(`${claimed.capability} is not claimed`))
    else if (rec.wants(claimed.check)) await rec.run(claimed.check, () => checkClaimed(driver, claimed, opts.timeoutMs))
  }
}

/**
 * A driver whose Update works but that declares no update options gives `ke update` and Rancher's edit
 * form nothing to change. Update is only called (with an empty ClusterInfo, so nothing can change)
 * when no update options are declared, to tell "not implemented" from "implemented".
 */
export async function checkUpdateOptions(driver: ClusterDriver, update: DriverFlags | undefined, timeoutMs: number): Promise<Outcome> {
  if (!update) return skip('GetDriverUpdateOptions failed')
  const count = Object.keys(update).length
  if (count > 0) return pass(`${count} update ${count === 1 ? 'option' : 'options'}`)
  const result = await attempt('Update', () => driver.update(emptyDriverOptions(), emptyClusterInfo()), timeoutMs)
  return {...judgeUpdate(result), answers: answersOf(result)}
}

function judgeUpdate(result: CallResult<unknown>): Outcome {
  if (result.end === 'unimplemented') return pass('Update is not implemented and no update options are declared')
  const broken = brokenEnd('Update', result)
  if (broken) return fail(broken)
  return warn('implements Update but declares no update options: `ke update NAME --OPTION` and Rancher\'s edit form can change nothing; declare them in GetDriverUpdateOptions')
}

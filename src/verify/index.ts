// Conformance checks for cluster drivers, importable by driver authors' own tests (`ke/verify`):
//
//   const report = await verifyDriverAt('./kontainer-engine-driver-x', {checks: ['options', 'contract.update-options']})
//   assert.ok(report.ok, report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.reason}`).join('\n'))
//
// It runs in a temporary ke home (removed afterwards) unless given `home`; `full: true` adds the
// lifecycle of a real cluster. With a ClusterDriver you already have: `verifyDriver(driver, opts)`.
export {verifyDriver, createOptionsFrom} from './verify.js'
export {verifyDriverAt, type VerifyAtOptions} from './start.js'
export {toJUnitXml} from './junit.js'
export {CHECKS, type CheckName} from './checks.js'
export {checkOptions, looksSecret, type DeclaredOptions} from './option-checks.js'
export {CHECK_GROUPS} from './types.js'
export type {CheckGroup, CheckResult, CheckStatus, DriverAnswer, VerifyOptions, VerifyReport, VerifySummary} from './types.js'
export {toRancherSchema, rancherSchemaProblems, type RancherSchema} from '../driver/options/rancher-schema.js'

// Conformance checks for cluster drivers, importable by driver authors' own tests (`ke/verify`):
//
//   const report = await verifyDriverAt('./kontainer-engine-driver-x', {full: true, values: {region: 'r1'}})
//   assert.ok(report.ok, report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.reason}`).join('\n'))
//
// or, with a ClusterDriver you already have, `verifyDriver(driver, opts)`.
export {verifyDriver, createOptionsFrom} from './verify.js'
export {verifyDriverAt, type VerifyAtOptions} from './start.js'
export {toJUnitXml} from './junit.js'
export {CHECKS, type CheckName} from './checks.js'
export {checkOptions, looksSecret, type DeclaredOptions} from './option-checks.js'
export type {CheckGroup, CheckResult, CheckStatus, VerifyOptions, VerifyReport, VerifySummary} from './types.js'
export {toRancherSchema, rancherSchemaProblems, type RancherSchema} from '../driver/rancher-schema.js'

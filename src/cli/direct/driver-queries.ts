// `ke capabilities NAME`, `ke version get NAME` and `ke size get NAME`: what their oclif commands
// (src/commands/capabilities.ts, version/get.ts, size/get.ts) and bin/run.js's direct path both run.
// Each asks the cluster's driver, and changes nothing.
import {getNodeCount, getVersion, readCapabilities} from '../../cluster/operations.js'
import {renderCapabilities} from '../../ui/views/capabilities.js'
import type {CommandSession} from '../command-session.js'
import {CLUSTER_DRIVER_FLAGS, ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

const spec = {...ONE_CLUSTER_SPEC, flags: CLUSTER_DRIVER_FLAGS}

async function capabilities(session: CommandSession) {
  const {args} = await session.parse(spec)
  const report = await session.withCluster(args.name, false, (driver) => readCapabilities(driver))
  session.printAnswer(renderCapabilities(report, session.ctx().colors))
  return {name: args.name, ...report}
}

async function versionGet(session: CommandSession) {
  const {args} = await session.parse(spec)
  const version = await session.withCluster(args.name, false, (driver, cluster) => getVersion(driver, cluster))
  session.printAnswer(version)
  return {name: args.name, version}
}

async function sizeGet(session: CommandSession) {
  const {args} = await session.parse(spec)
  const nodeCount = await session.withCluster(args.name, false, (driver, cluster) => getNodeCount(driver, cluster))
  session.printAnswer(String(nodeCount))
  return {name: args.name, nodeCount}
}

export const capabilitiesCommand = {id: 'capabilities', spec, run: capabilities} satisfies DirectCommand
export const versionGetCommand = {id: 'version:get', spec, run: versionGet} satisfies DirectCommand
export const sizeGetCommand = {id: 'size:get', spec, run: sizeGet} satisfies DirectCommand

// `ke size set`, `ke version set` and `ke etcd save|restore|remove`: what their oclif commands
// (src/commands/size/set.ts, version/set.ts, etcd/*.ts) and bin/run.js's direct path both run. Each
// changes the cluster through its driver, under the cluster's lock.
import {Args} from '@oclif/core'
import {etcdSnapshot, setNodeCount, setVersion, type EtcdAction} from '../../cluster/operations.js'
import {parseIntValue} from '../../driver/options/options.js'
import {KeError} from '../../errors.js'
import {nodes} from '../../ui/views/cluster.js'
import type {CommandSession} from '../command-session.js'
import {CLUSTER_DRIVER_FLAGS, ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

/** The spec of a command on one cluster through its driver, with what it changes as a second argument. */
function specWith<A extends object>(second: A) {
  return {...ONE_CLUSTER_SPEC, args: {...ONE_CLUSTER_SPEC.args, ...second}, flags: CLUSTER_DRIVER_FLAGS}
}

const sizeSetSpec = specWith({count: Args.string({description: 'number of nodes', required: true})})

async function sizeSet(session: CommandSession) {
  const {args} = await session.parse(sizeSetSpec)
  const count = parseIntValue(args.count)
  if (count === undefined || count < 0) throw new KeError('BAD_ARGUMENT', `node count must be a whole number, 0 or more, got ${JSON.stringify(args.count)}`, {hint: 'e.g. ke size set my-cluster 5'})
  await session.withCluster(args.name, true, (driver, cluster) => setNodeCount(session.ctx(), driver, cluster, count))
  session.print(`Cluster ${args.name} has ${nodes(count)}`)
  return {name: args.name, nodeCount: count}
}

const versionSetSpec = specWith({version: Args.string({description: 'Kubernetes version, as the driver names it', required: true})})

async function versionSet(session: CommandSession) {
  const {args} = await session.parse(versionSetSpec)
  await session.withCluster(args.name, true, (driver, cluster) => setVersion(session.ctx(), driver, cluster, args.version))
  session.print(`Cluster ${args.name} is at Kubernetes ${args.version}`)
  return {name: args.name, version: args.version}
}

const etcdSpec = specWith({snapshot: Args.string({description: 'snapshot name', required: true})})

function etcdCommand(action: EtcdAction) {
  async function run(session: CommandSession) {
    const {args} = await session.parse(etcdSpec)
    await session.withCluster(args.name, true, (driver, cluster) => etcdSnapshot(session.ctx(), driver, cluster, action, args.snapshot))
    session.print(`etcd ${action} of ${args.snapshot} on ${args.name}: done`)
    return {name: args.name, snapshot: args.snapshot, action}
  }
  return {id: `etcd:${action}`, spec: etcdSpec, run} satisfies DirectCommand
}

export const sizeSetCommand = {id: 'size:set', spec: sizeSetSpec, run: sizeSet} satisfies DirectCommand
export const versionSetCommand = {id: 'version:set', spec: versionSetSpec, run: versionSet} satisfies DirectCommand
export const etcdSaveCommand = etcdCommand('save')
export const etcdRestoreCommand = etcdCommand('restore')
export const etcdRemoveCommand = etcdCommand('remove')

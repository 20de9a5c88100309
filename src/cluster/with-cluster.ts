// Running a command against a stored cluster: load it, lock it when the command changes it, start its
// driver with output going to the cluster's log, and stop everything afterwards.
import {openDriver} from '../driver/session.js'
import type {GrpcClusterDriver} from '../driver/client.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {lockCluster, type Release} from '../store/lock.js'
import {validateClusterName} from '../store/names.js'
import type {DriverSettings, FlowContext} from './flow.js'

export interface ClusterCommandOptions extends DriverSettings {
  /** Attach the cluster's log only once the caller says so (update: after its options parsed). */
  deferLog?: boolean
  /** Commands that change the cluster or its record take its lock. */
  lock: boolean
  /** What the lock holder is shown as to a second ke (`ke update x`). */
  commandLine: string
  /** Use this driver instead of the stored one (a moved binary, or --attach). */
  driver?: string
}

/**
 * The driver to use: the one given now, else the stored one. A cluster made through an attached driver
 * attaches to the same address again unless told otherwise.
 */
export function driverOf(cluster: ClusterRecord, opts: {driver?: string; attach?: string}): {ref?: string; attach?: string} {
  if (opts.attach || opts.driver) return {ref: opts.driver, attach: opts.attach}
  if (cluster.driver.attached) return {attach: cluster.driver.attached}
  return {ref: cluster.driver.ref}
}

export async function withClusterDriver<T>(
  ctx: FlowContext,
  name: string,
  opts: ClusterCommandOptions,
  work: (driver: GrpcClusterDriver, cluster: ClusterRecord) => Promise<T>,
): Promise<T> {
  validateClusterName(name)
  ctx.store.load(name)
  const release: Release | undefined = opts.lock ? await lockCluster(ctx.home, name, opts.commandLine) : undefined
  try {
    const cluster = ctx.store.load(name)
    const info = cluster.info
    if (info) ctx.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
    ctx.progress.activity?.(`Starting driver ${cluster.driver.display}`)
    const driver = await openDriver(ctx, {
      ...opts,
      ...driverOf(cluster, opts),
      cluster: name,
      command: ctx.command,
      logFile: opts.deferLog ? undefined : ctx.store.logPath(name),
    })
    try {
      return await work(driver, cluster)
    } finally {
      await ctx.supervisor.stop(driver)
    }
  } finally {
    await release?.()
  }
}

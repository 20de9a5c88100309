// Running a command against a stored cluster: load it, lock it when the command changes it, start its
// driver with output going to the cluster's log, and stop everything afterwards.
import {openDriver} from '../driver/session.js'
import type {GrpcClusterDriver} from '../driver/client.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {lockCluster, type Release} from '../store/lock.js'
import {validateClusterName} from '../store/names.js'
import type {DriverTimeouts, FlowContext} from './flow.js'

export interface ClusterCommandOptions extends DriverTimeouts {
  /** Commands that change the cluster or its record take its lock. */
  lock: boolean
  /** What the lock holder is shown as to a second ke (`ke update x`). */
  commandLine: string
  /** Use this driver instead of the stored one (a moved binary, or --attach). */
  driver?: string
  attach?: string
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
    const driver = await openDriver(ctx, {
      ref: opts.driver ?? cluster.driver.ref,
      attach: opts.attach,
      cluster: name,
      logFile: ctx.store.logPath(name),
      readyTimeoutMs: opts.readyTimeoutMs,
      longCallTimeoutMs: opts.longCallTimeoutMs,
      quickCallTimeoutMs: opts.quickCallTimeoutMs,
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

// Running a command against a stored cluster: load it, lock it when the command changes it, start its
// driver with output going to the cluster's log, and stop everything afterwards.
import type {ClusterRecord} from '../store/cluster-record.js'
import type {Release} from '../store/cluster-store.js'
import {validateClusterName} from '../store/names.js'
import {driverOpener, type DriverSettings, type FlowContext, type SessionDriver} from './flow.js'
import {chooseDriver, referenceTo, type DriverChoice} from './driver-binding.js'
import {operationReport, type OperationReport} from './operation-report.js'
import {loadForReading} from './lifecycle.js'

export interface ClusterCommandOptions extends DriverSettings {
  /** Attach the cluster's log only once the caller says so (update: after its options parsed). */
  deferLog?: boolean
  /** Commands that change the cluster or its record take its lock. */
  lock: boolean
  /** What the lock holder is shown as to a second ke (`ke update x`). */
  commandLine: string
  /** --driver: must name the cluster's driver (a moved binary of it is recorded). */
  driver?: string
}

/** The driver for one command on a stored cluster: `--driver` must be the bound one, `--attach` lasts one command. */
export function driverFor(ctx: FlowContext, cluster: ClusterRecord, opts: {driver?: string; attach?: string}): DriverChoice {
  return chooseDriver(cluster, {driver: opts.driver === undefined ? undefined : referenceTo(opts.driver, ctx.cwd), attach: opts.attach})
}

export async function withClusterDriver<T>(
  ctx: FlowContext,
  name: string,
  opts: ClusterCommandOptions,
  work: (driver: SessionDriver, cluster: ClusterRecord, report: OperationReport) => Promise<T>,
): Promise<T> {
  validateClusterName(name)
  const found = await (opts.lock ? ctx.store.load(name) : loadForReading(ctx.store, name))
  const release: Release | undefined = opts.lock ? await ctx.store.lock(name, opts.commandLine) : undefined
  let driver: SessionDriver | undefined
  const report = operationReport(ctx, name, () => driver)
  try {
    // under the lock, the record as the last holder left it
    let cluster = release ? await ctx.store.load(name) : found
    const choice = driverFor(ctx, cluster, opts)
    const info = cluster.info
    if (info) ctx.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
    ctx.progress.activity?.(`Starting driver ${choice.ref ?? choice.attach}`)
    driver = await driverOpener(ctx)({
      ...opts,
      ref: choice.ref,
      attach: choice.attach,
      cluster: name,
      command: ctx.command,
      logFile: opts.deferLog ? undefined : ctx.store.logPath(name),
    })
    try {
      // a moved binary of the same driver: later commands find it at its new place
      if (choice.rebound && opts.lock) cluster = await ctx.store.save({...cluster, driver: choice.rebound})
      return await work(driver, cluster, report)
    } finally {
      await ctx.supervisor.stop(driver)
    }
  } catch (error) {
    // a command that changes the cluster: its failure is kept and told, under the lock still
    if (opts.lock) await report.failed(error)
    throw error
  } finally {
    await release?.()
  }
}

// `ke rm NAME`: driver Remove, then the local record and kubeconfig entries.
import {KeError} from '../errors.js'
import {forgetInSharedKubeconfig, sharedKubeconfigPath} from '../kube/kubeconfig.js'
import {validateClusterName} from '../store/names.js'
import {driverOpener, type DriverSettings, type FlowContext, type SessionDriver} from './flow.js'
import {operationReport} from './operation-report.js'
import {removeCluster, type RemoveOutcome} from './operations.js'
import {driverFor} from './with-cluster.js'

export interface RemoveOptions extends DriverSettings {
  force: boolean
  /** --driver: the cluster's own driver at a new path (a moved binary); another driver is refused. */
  driver?: string
}

export async function runRemove(ctx: FlowContext, name: string, opts: RemoveOptions): Promise<RemoveOutcome> {
  validateClusterName(name)
  const release = await ctx.store.lock(name, `ke rm ${name}`)
  try {
    let cluster
    try {
      cluster = await ctx.store.load(name)
    } catch (error) {
      // an unreadable record can only be dropped, and only when asked to
      if (!(opts.force && error instanceof KeError && (error.keCode === 'STATE_UNREADABLE' || error.keCode === 'STATE_FROM_NEWER_KE'))) throw error
      await ctx.store.delete(name)
      return forgetShared(ctx, {name, driverRemoved: false, warning: `state of ${name} was unreadable and was dropped; cloud resources may remain`})
    }
    const info = cluster.info
    if (info) ctx.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
    let driver: SessionDriver | undefined
    const report = operationReport(ctx, name, () => driver)
    try {
      if (info) {
        try {
          driver = await driverOpener(ctx)({...opts, ...driverFor(ctx, cluster, opts), cluster: name, command: ctx.command, logFile: ctx.store.logPath(name)})
        } catch (error) {
          if (!opts.force) throw error
          ctx.progress.warn(`driver ${cluster.driver.display} could not start: ${(error as Error).message.split('\n')[0]}`)
        }
      }
      try {
        const driverDone = () => driver && ctx.supervisor.stopSoon(driver)
        const outcome = await forgetShared(ctx, await removeCluster({...ctx, failureLog: report.failureLog, driverDone}, driver, cluster, opts.force))
        await report.succeeded(outcome.warning ? `cluster ${name} removed: ${outcome.warning}` : `cluster ${name} removed`)
        return outcome
      } finally {
        if (driver) await ctx.supervisor.stop(driver)
      }
    } catch (error) {
      // under the lock still: a failed Remove left Error with its reason and the log's tail
      await report.failed(error)
      throw error
    }
  } finally {
    await release()
  }
}

/** Drops the removed cluster from the shared kubeconfig; the outcome says whether it was its current context. */
async function forgetShared(ctx: FlowContext, outcome: RemoveOutcome): Promise<RemoveOutcome> {
  const path = sharedKubeconfigPath(ctx.home)
  return (await forgetInSharedKubeconfig(path, outcome.name)) ? {...outcome, clearedCurrentContext: path} : outcome
}

/** What became of one name in `ke rm a b c`. */
export type RemoveReport = {name: string; removed: RemoveOutcome} | {name: string; notFound: true} | {name: string; error: unknown}

/**
 * Removes each cluster in turn, whatever became of the others, and reports each as it is done.
 * With `ignoreNotFound` (kubectl's flag, for clean-up steps) a missing cluster is fine. An interruption
 * stops the whole command.
 */
export async function removeEach(ctx: FlowContext, names: string[], opts: RemoveOptions & {ignoreNotFound: boolean}, report: (r: RemoveReport) => void): Promise<RemoveReport[]> {
  const reports: RemoveReport[] = []
  for (const name of names) {
    let result: RemoveReport
    try {
      result = {name, removed: await runRemove(ctx, name, opts)}
    } catch (error) {
      if (ctx.supervisor.interruptedBy || (error instanceof KeError && error.keCode === 'CANCELLED')) throw error
      const missing = error instanceof KeError && error.keCode === 'CLUSTER_NOT_FOUND'
      result = missing && opts.ignoreNotFound ? {name, notFound: true} : {name, error}
    }
    reports.push(result)
    report(result)
  }
  return reports
}

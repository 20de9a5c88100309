// `ke rm NAME`: driver Remove, then the local record and kubeconfig entries.
import {rmSync} from 'node:fs'
import {openDriver} from '../driver/session.js'
import {KeError} from '../errors.js'
import {forgetInSharedKubeconfig, sharedKubeconfigPath} from '../kube/kubeconfig.js'
import {lockCluster} from '../store/lock.js'
import {validateClusterName} from '../store/names.js'
import type {DriverSettings, FlowContext} from './flow.js'
import {removeCluster, type RemoveOutcome} from './operations.js'
import {driverOf} from './with-cluster.js'

export interface RemoveOptions extends DriverSettings {
  force: boolean
}

export async function runRemove(ctx: FlowContext, name: string, opts: RemoveOptions): Promise<RemoveOutcome> {
  validateClusterName(name)
  const release = await lockCluster(ctx.home, name, `ke rm ${name}`)
  try {
    let cluster
    try {
      cluster = ctx.store.load(name)
    } catch (error) {
      // an unreadable record can only be dropped, and only when asked to
      if (!(opts.force && error instanceof KeError && (error.keCode === 'STATE_UNREADABLE' || error.keCode === 'STATE_FROM_NEWER_KE'))) throw error
      rmSync(ctx.store.clusterDir(name), {recursive: true, force: true})
      await forgetInSharedKubeconfig(sharedKubeconfigPath(ctx.home), name)
      return {name, driverRemoved: false, warning: `state of ${name} was unreadable and was dropped; cloud resources may remain`}
    }
    const info = cluster.info
    if (info) ctx.redactor.add(info.serviceAccountToken, info.password, info.clientKey)
    let driver
    if (info) {
      try {
        driver = await openDriver(ctx, {...opts, ...driverOf(cluster, opts), cluster: name, command: ctx.command, logFile: ctx.store.logPath(name)})
      } catch (error) {
        if (!opts.force) throw error
        ctx.progress.warn(`driver ${cluster.driver.display} could not start: ${(error as Error).message.split('\n')[0]}`)
      }
    }
    try {
      const outcome = await removeCluster(ctx, driver, cluster, opts.force)
      await forgetInSharedKubeconfig(sharedKubeconfigPath(ctx.home), name)
      return outcome
    } finally {
      if (driver) await ctx.supervisor.stop(driver)
    }
  } finally {
    await release()
  }
}

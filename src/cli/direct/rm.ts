// `ke rm`: what the oclif command (src/commands/rm.ts) and bin/run.js's direct path both run.
import {Args, Flags} from '@oclif/core'
import {removeEach, type RemoveReport} from '../../cluster/remove-flow.js'
import {KeError, worstExit} from '../../errors.js'
import {clusterKubeconfigPath} from '../../kube/kubeconfig.js'
import {confirm, isInteractive} from '../../ui/prompts.js'
import {thrownToKeError} from '../errors.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags} from '../common-flags.js'
import {GLOBAL_FLAGS, type CommandSession} from '../command-session.js'
import {kubeconfigWarningsAfterRemove} from '../kubeconfig-warnings.js'
import type {DirectCommand} from './direct-command.js'

const spec = {
  baseFlags: GLOBAL_FLAGS,
  enableJsonFlag: true,
  strict: false,
  args: {name: Args.string({description: 'cluster names', required: true})},
  flags: {
    force: Flags.boolean({char: 'f', description: 'drop local state even when the driver fails (cloud resources may remain)'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
    'ignore-not-found': Flags.boolean({description: 'a cluster that does not exist is not an error'}),
    ...driverFlag,
    ...driverTimeoutFlags,
    ...driverRuntimeFlags,
  },
}

async function run(session: CommandSession) {
  const {argv, flags} = await session.parse(spec)
  const names = argv as string[]
  if (!flags.yes) {
    // a name that is not there removes nothing: only the others need a yes (the missing ones are
    // reported as not found, or passed over with --ignore-not-found)
    const toConfirm = await existing(session, names)
    if (toConfirm.length > 0 && !(await confirmRemoval(session, toConfirm))) {
      session.print(`Kept ${toConfirm.join(', ')}: nothing was removed`)
      return {removed: []}
    }
  }
  const opts = {force: flags.force, ignoreNotFound: flags['ignore-not-found'], driver: flags.driver, ...session.driverSettings()}
  const reports = await removeEach(session.ctx(), names, opts, (report) => tell(session, report, names.length > 1))
  const removed = reports.flatMap((r) => ('removed' in r ? [r.removed] : []))
  const notFound = reports.flatMap((r) => ('notFound' in r ? [r.name] : []))
  const failed = reports.flatMap((r) => ('error' in r ? [{name: r.name, error: thrownToKeError(r.error)}] : []))
  if (failed.length === 0) return {removed, notFound}
  // one name: its error, exactly; several: each was reported above, this sums them up
  if (names.length === 1) throw failed[0].error
  const exit = worstExit(failed.map((f) => f.error.exitCode))
  const worst = failed.find((f) => f.error.exitCode === exit)!
  const result = {removed, notFound, failed: failed.map((f) => ({name: f.name, code: f.error.keCode, message: f.error.message, exit: f.error.exitCode}))}
  throw new KeError(worst.error.keCode, `${failed.length} of ${names.length} clusters not removed: ${failed.map((f) => f.name).join(', ')}`, {exit, result})
}

async function existing(session: CommandSession, names: string[]): Promise<string[]> {
  const store = session.ctx().store
  const found = await Promise.all(names.map((name) => store.exists(name).catch(() => true)))
  return names.filter((_, i) => found[i])
}

async function confirmRemoval(session: CommandSession, names: string[]): Promise<boolean> {
  if (!isInteractive(session.jsonEnabled())) {
    throw new KeError('MISSING_VALUE', `removing ${names.join(', ')} needs confirmation`, {hint: 'pass -y (--yes) when not at a terminal'})
  }
  return confirm(`Remove ${names.join(', ')}? The driver deletes the cluster's resources.`, session.ctx().signal)
}

function tell(session: CommandSession, report: RemoveReport, several: boolean): void {
  if ('removed' in report) {
    if (report.removed.warning) session.warn(report.removed.warning)
    session.print(`Removed ${report.name}`)
    const ctx = session.ctx()
    const around = {kubeconfig: ctx.env.KUBECONFIG, cwd: ctx.cwd, clusterKubeconfig: clusterKubeconfigPath(ctx.store.logPath(report.name)), envCommand: session.suggestedCommand('env NAME')}
    for (const warning of kubeconfigWarningsAfterRemove(report.removed, around)) session.warn(warning)
  } else if ('error' in report && several) {
    session.printError(thrownToKeError(report.error))
  }
}

export const rmCommand = {id: 'rm', spec, run} satisfies DirectCommand

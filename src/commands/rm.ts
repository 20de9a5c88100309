import {Args, Flags} from '@oclif/core'
import {removeEach, type RemoveReport} from '../cluster/remove-flow.js'
import {KeError, worstExit} from '../errors.js'
import {BaseCommand} from '../cli/base-command.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags} from '../cli/common-flags.js'
import {thrownToKeError} from '../cli/errors.js'
import {confirm, isInteractive} from '../ui/prompts.js'

export default class Rm extends BaseCommand {
  static aliases = ['remove']
  static summary = 'remove clusters: driver Remove, then local state'
  static description = 'Tries every name, reports each, and exits with the worst exit code among them.'
  static examples = ['<%= config.bin %> rm -y my-cluster', '<%= config.bin %> rm -f -y broken-cluster other-cluster', '<%= config.bin %> rm -y --ignore-not-found ci-cluster']
  static strict = false
  static args = {name: Args.string({description: 'cluster names', required: true})}
  static flags = {
    force: Flags.boolean({char: 'f', description: 'drop local state even when the driver fails (cloud resources may remain)'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
    'ignore-not-found': Flags.boolean({description: 'a cluster that does not exist is not an error'}),
    ...driverFlag,
    ...driverTimeoutFlags,
    ...driverRuntimeFlags,
  }

  async run() {
    const {argv, flags} = await this.parse(Rm)
    const names = argv as string[]
    if (!flags.yes) {
      // a name that is not there removes nothing: only the others need a yes (the missing ones are
      // reported as not found, or passed over with --ignore-not-found)
      const toConfirm = await this.existing(names)
      if (toConfirm.length > 0 && !(await this.confirmRemoval(toConfirm))) return {removed: []}
    }
    const opts = {force: flags.force, ignoreNotFound: flags['ignore-not-found'], driver: flags.driver, ...this.driverSettings()}
    const reports = await removeEach(this.ctx(), names, opts, (report) => this.report(report, names.length > 1))
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

  private async existing(names: string[]): Promise<string[]> {
    const store = this.ctx().store
    const found = await Promise.all(names.map((name) => store.exists(name).catch(() => true)))
    return names.filter((_, i) => found[i])
  }

  private async confirmRemoval(names: string[]): Promise<boolean> {
    if (!isInteractive(this.jsonEnabled())) {
      throw new KeError('MISSING_VALUE', `removing ${names.join(', ')} needs confirmation`, {hint: 'pass -y (--yes) when not at a terminal'})
    }
    return confirm(`Remove ${names.join(', ')}? The driver deletes the cluster's resources.`)
  }

  private report(report: RemoveReport, several: boolean): void {
    if ('removed' in report) {
      if (report.removed.warning) this.warn(report.removed.warning)
      this.print(`Removed ${report.name}`)
    } else if ('error' in report && several) {
      this.printError(thrownToKeError(report.error))
    }
  }
}

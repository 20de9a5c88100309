import {Args, Flags} from '@oclif/core'
import {runRemove} from '../cluster/remove-flow.js'
import {KeError} from '../errors.js'
import {BaseCommand} from '../ui/base-command.js'
import {driverRuntimeFlags, driverTimeoutFlags} from '../ui/common-flags.js'
import {confirm, isInteractive} from '../ui/prompts.js'

export default class Rm extends BaseCommand {
  static aliases = ['remove']
  static summary = 'remove clusters: driver Remove, then local state'
  static examples = ['<%= config.bin %> rm -y my-cluster', '<%= config.bin %> rm -f -y broken-cluster other-cluster']
  static strict = false
  static args = {name: Args.string({description: 'cluster names', required: true})}
  static flags = {
    force: Flags.boolean({char: 'f', description: 'drop local state even when the driver fails (cloud resources may remain)'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
    ...driverTimeoutFlags,
    ...driverRuntimeFlags,
  }

  async run() {
    const {argv, flags} = await this.parse(Rm)
    const names = argv as string[]
    if (!flags.yes) {
      if (!isInteractive(this.jsonEnabled())) {
        throw new KeError('MISSING_VALUE', `removing ${names.join(', ')} needs confirmation`, {hint: 'pass -y (--yes) when not at a terminal'})
      }
      if (!(await confirm(`Remove ${names.join(', ')}? The driver deletes the cluster's resources.`))) return {removed: []}
    }
    const removed = []
    for (const name of names) {
      const outcome = await runRemove(this.ctx(), name, {force: flags.force, ...this.driverSettings()})
      if (outcome.warning) this.warn(outcome.warning)
      this.print(`Removed ${name}`)
      removed.push(outcome)
    }
    return {removed}
  }
}

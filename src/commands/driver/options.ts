import {Flags} from '@oclif/core'
import {KeError} from '../../errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverTimeoutFlags, timeoutsOf} from '../../cli/common-flags.js'
import {renderDriverOptions} from '../../ui/views/driver-options.js'
import {listDriverOptions} from '../../verify/inspect.js'

export default class DriverOptions extends BaseCommand {
  static summary = 'list the options a driver declares'
  static description =
    'Starts the driver and prints its create options (GetDriverCreateOptions), or with --update its update options, sorted by name: type, default (as ke applies it), whether it is a secret, usage.'

  static examples = [
    '<%= config.bin %> driver options --driver sample',
    '<%= config.bin %> driver options --driver ./kontainer-engine-driver-lke --update',
    '<%= config.bin %> driver options --driver sample --json',
  ]

  static flags = {
    driver: Flags.string({char: 'd', description: 'driver: a path, an installed name (kontainer-engine-driver-NAME), or sample'}),
    update: Flags.boolean({description: 'the update options (GetDriverUpdateOptions) instead of the create options'}),
    ...driverTimeoutFlags,
  }

  async run() {
    const {flags} = await this.parse(DriverOptions)
    // checked here rather than by oclif, whose message for a missing required flag is a bare heading
    if (!flags.driver) throw new KeError('MISSING_VALUE', 'no driver given', {hint: 'e.g. `ke driver options --driver sample`'})
    const listing = await listDriverOptions(this.ctx(), {ref: flags.driver, update: flags.update, timeouts: timeoutsOf(flags)})
    this.printAnswer(renderDriverOptions(listing, this.ctx().colors))
    return listing
  }
}

import {Flags} from '@oclif/core'
import {KeError} from '../../errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {driverTimeoutFlags, timeoutsOf} from '../../cli/common-flags.js'
import {renderSchema} from '../../ui/views/schema.js'
import {readRancherSchema} from '../../verify/inspect.js'

export default class DriverSchema extends BaseCommand {
  static summary = "print the API schema Rancher builds from a driver's create options"
  static description = [
    "Starts the driver, reads its create options and converts them by Rancher's rules: field names in camelCase",
    '(node-pools -> nodePools), types string/password, int, boolean and array[string], defaults, create and update',
    'true, the usage as description, plus the driverName field Rancher adds. Printed as Rancher stores it (the spec',
    'of its DynamicSchema, JSON), so a UI author can build against it. An option Rancher cannot convert is an error.',
  ].join(' ')

  static examples = [
    '<%= config.bin %> driver schema --driver sample',
    '<%= config.bin %> driver schema --driver ./kontainer-engine-driver-lke-v0.1.0 --name lke',
  ]

  static flags = {
    driver: Flags.string({char: 'd', description: 'driver: a path, an installed name (kontainer-engine-driver-NAME), or sample'}),
    name: Flags.string({description: 'driver name Rancher shows (default: the installed name, or the file name after kontainer-engine-driver-)'}),
    ...driverTimeoutFlags,
  }

  async run() {
    const {flags} = await this.parse(DriverSchema)
    // checked here rather than by oclif, whose message for a missing required flag is a bare heading
    if (!flags.driver) throw new KeError('MISSING_VALUE', 'no driver given', {hint: 'e.g. `ke driver schema --driver sample`'})
    const schema = await readRancherSchema(this.ctx(), {ref: flags.driver, name: flags.name, timeouts: timeoutsOf(flags)})
    this.printAnswer(renderSchema(schema))
    return schema
  }
}

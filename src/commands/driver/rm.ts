import {Args} from '@oclif/core'
import {clustersUsingDriver} from '../../cluster/driver-users.js'
import {uninstallDriver, type UninstallResult} from '../../driver/install/uninstall.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderUninstalled, usedByWarning} from '../../ui/views/drivers.js'

export default class DriverRm extends BaseCommand {
  static aliases = ['driver:remove']
  static summary = 'remove an installed driver and its record'
  static description = 'Clusters made with the driver are kept; reinstall the driver to manage them again.'
  static examples = ['<%= config.bin %> driver rm lke']
  static args = {name: Args.string({description: 'driver name, as `ke driver ls` shows it', required: true})}

  async run(): Promise<UninstallResult & {usedBy: string[]}> {
    const {args} = await this.parse(DriverRm)
    const ctx = this.ctx()
    const result = await uninstallDriver(ctx.home, args.name)
    const usedBy = await clustersUsingDriver(ctx.store, result.name)
    const warning = usedByWarning(result.name, usedBy)
    if (warning) this.warn(warning)
    this.print(renderUninstalled(result))
    return {...result, usedBy}
  }
}

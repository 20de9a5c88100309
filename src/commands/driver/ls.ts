import {listDrivers, readInstalled} from '../../driver/install/installed.js'
import {isKeError} from '../../errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderDriverTable, toDriverRow, type DriverRow} from '../../ui/views/drivers.js'

export default class DriverLs extends BaseCommand {
  static aliases = ['driver:list']
  static summary = 'list drivers installed in $KE_HOME/drivers'
  static description = 'Shows where each came from and its checksum; drivers copied there by hand are listed too, without a source.'
  static examples = ['<%= config.bin %> driver ls', '<%= config.bin %> driver ls --json']

  async run(): Promise<DriverRow[]> {
    await this.parse(DriverLs)
    const ctx = this.ctx()
    const rows = listDrivers(ctx.home, this.records()).map(toDriverRow)
    const text = renderDriverTable(rows, ctx.colors)
    // with none installed, what is printed is advice, not a list: --quiet leaves it out
    if (rows.length === 0) this.print(text)
    else this.printAnswer(text)
    return rows
  }

  /** An unreadable installed.json must not hide the drivers themselves: list them without records. */
  private records() {
    try {
      return readInstalled(this.ctx().home)
    } catch (error) {
      if (!isKeError(error) || error.keCode !== 'STATE_UNREADABLE') throw error
      this.warn(`${error.message} (${error.hint})`)
      return {}
    }
  }
}

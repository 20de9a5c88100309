import {BaseCommand} from '../cli/base-command.js'
import {updateCommand} from '../cli/direct/update.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run updateCommand
export default class Update extends BaseCommand {
  static summary = "change a cluster with its driver's update options"
  static description = `Runs Update then PostCheck. Sends the options you give together with the options the cluster was created with (yours win; \`--dry-run\` shows where each value came from) and what the driver stored in the cluster's metadata, as Rancher does; see the update options with \`ke update NAME --help\`.`

  static examples = ['<%= config.bin %> update my-cluster --node-count 5', '<%= config.bin %> update my-cluster --help']
  static args = updateCommand.spec.args
  static flags = updateCommand.spec.flags

  async run() {
    return updateCommand.run(this.session)
  }
}

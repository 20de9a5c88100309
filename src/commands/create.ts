import {BaseCommand} from '../cli/base-command.js'
import {createCommand} from '../cli/direct/create.js'

// bin/run.js runs the plain forms of this command without oclif (src/cli/direct.ts): both run createCommand
export default class Create extends BaseCommand {
  static summary = 'create a cluster with a driver'
  static description = `Starts the driver, turns its options into flags (see them with --driver D --help), then runs Create and PostCheck, saving each status under $KE_HOME.
Running it again on a cluster whose create failed retries with what the driver returned; on a running cluster it fails.`

  static examples = [
    '<%= config.bin %> create --driver sample my-cluster',
    '<%= config.bin %> create --driver sample --node-count 5 --labels env=dev,team=a my-cluster',
    '<%= config.bin %> create --driver sample --help',
    '<%= config.bin %> create --driver sample --dry-run my-cluster',
  ]

  static args = createCommand.spec.args
  static flags = createCommand.spec.flags

  async run() {
    return createCommand.run(this.session)
  }
}

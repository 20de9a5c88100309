import {Args, Flags} from '@oclif/core'
import {loadCurrent} from '../cluster/live-status.js'
import {publicRecord} from '../cluster/public-record.js'
import {BaseCommand} from '../cli/base-command.js'

export default class Inspect extends BaseCommand {
  static summary = "print a cluster's record as JSON (secrets redacted)"
  static examples = ['<%= config.bin %> inspect my-cluster', '<%= config.bin %> inspect my-cluster --show-secrets']
  static args = {name: Args.string({description: 'cluster name', required: true})}
  static flags = {'show-secrets': Flags.boolean({description: 'include token, password, client key and certificates'})}

  async run() {
    const {args, flags} = await this.parse(Inspect)
    const record = publicRecord(await loadCurrent(this.ctx().store, args.name), {showSecrets: flags['show-secrets']})
    // inspect is JSON either way; --show-secrets output bypasses redaction on purpose
    if (!this.jsonEnabled()) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
    else if (flags['show-secrets']) {
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
      return undefined
    }
    return record
  }
}

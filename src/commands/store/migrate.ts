import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openStoreSpec} from '../../cli/open-store.js'
import {KeError, worstExit} from '../../errors.js'
import {migrateRecords} from '../../store/migrate.js'
import {parseStoreSpec, resolveStoreSpec, STORE_ENV} from '../../store/store-spec.js'
import {migrateJson, migrateLine, migrateSummary} from '../../ui/views/migrate.js'

export default class StoreMigrate extends BaseCommand {
  static summary = 'move cluster records to another store (file ↔ kubernetes, or another namespace)'
  static description = [
    `Moves every record of the store (\`--store\`, else ${STORE_ENV}, else file), or the NAMEs given, to the store \`--to\` names.`,
    'Each record is moved under the lock of both stores, written as it is (secrets go where the destination keeps them: Secrets in Kubernetes, the 0600 file on disk) and read back before anything else happens.',
    'Idempotent: a record the destination already holds as the source has it is "already there". A different record of that name at the destination is never overwritten: it is reported, and the others still move.',
    'A cluster that a running ke holds (busy) is not moved (exit 4). The source is kept unless --delete-source.',
    'The Kubernetes store keeps the newest 50 history entries of a record: older ones are dropped, and the output says so.',
    'Driver logs are not moved: they stay on this machine where the source store keeps them ($KE_HOME/clusters/NAME/driver.log for the file store), also with --delete-source.',
    'Exits with the worst exit code among the records refused.',
  ].join('\n\n')
  static examples = [
    '<%= config.bin %> store migrate --to kubernetes:prod/ke-clusters',
    '<%= config.bin %> store migrate --to kubernetes:prod/ke-clusters --delete-source web ci-7',
    '<%= config.bin %> store migrate --store kubernetes:prod/ke-clusters --to file',
    '<%= config.bin %> store migrate --store kubernetes:prod/team-a --to kubernetes:prod/team-b --delete-source',
  ]
  static strict = false
  static args = {name: Args.string({description: 'cluster names (default: every record of the source store)'})}
  static flags = {
    to: Flags.string({description: 'the destination store: file or kubernetes[:CONTEXT][/NAMESPACE]', required: true}),
    'delete-source': Flags.boolean({description: 'remove each source record once the destination holds it (read back and compared)'}),
  }

  async run() {
    const {argv, flags} = await this.parse(StoreMigrate)
    const names = argv as string[]
    const {home, env} = this.ctx()
    const from = await openStoreSpec(resolveStoreSpec(flags.store, env), home, env)
    const to = await openStoreSpec(parseStoreSpec(flags.to, '--to'), home, env)
    if (from.identity === to.identity) {
      throw new KeError('BAD_FLAG', `--to ${flags.to} is the store the records are in (${from.label})`, {hint: 'name another store with --to, or the source with --store'})
    }
    const deleteSource = Boolean(flags['delete-source'])
    const outcomes = await migrateRecords(from, to, {
      names,
      deleteSource,
      command: 'ke store migrate',
      onRecord: (outcome) => this.print(migrateLine(outcome, from.label)),
    })
    this.print(migrateSummary(outcomes, from.label, to.label, deleteSource))
    const result = {from: from.label, to: to.label, records: outcomes.map(migrateJson)}
    const refused = outcomes.flatMap((o) => (o.result === 'refused' ? [o] : []))
    if (refused.length === 0) return result
    const exit = worstExit(refused.map((o) => o.error.exitCode))
    const worst = refused.find((o) => o.error.exitCode === exit)!
    throw new KeError(worst.error.keCode, `${refused.length} of ${outcomes.length} records not migrated: ${refused.map((o) => o.name).join(', ')}`, {exit, result})
  }
}

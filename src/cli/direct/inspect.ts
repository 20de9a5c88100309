// `ke inspect NAME`: what the oclif command (src/commands/inspect.ts) and bin/run.js's direct path both
// run (a CI job reads a cluster's endpoint or state from it).
import {Flags} from '@oclif/core'
import {loadCurrent} from '../../cluster/live-status.js'
import {publicRecord} from '../../cluster/public-record.js'
import type {CommandSession} from '../command-session.js'
import {ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

const spec = {
  ...ONE_CLUSTER_SPEC,
  flags: {'show-secrets': Flags.boolean({description: 'include token, password, client key and certificates'})},
}

async function run(session: CommandSession) {
  const {args, flags} = await session.parse(spec)
  const record = publicRecord(await loadCurrent(session.ctx().store, args.name), {showSecrets: flags['show-secrets']})
  // inspect is JSON either way; --show-secrets output bypasses redaction on purpose
  if (!session.jsonEnabled()) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
  else if (flags['show-secrets']) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
    return undefined
  }
  return record
}

export const inspectCommand = {id: 'inspect', spec, run} satisfies DirectCommand

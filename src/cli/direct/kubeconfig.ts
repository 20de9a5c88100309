// `ke kubeconfig NAME`: what the oclif command (src/commands/kubeconfig.ts) and bin/run.js's direct path
// both run (`ke kubeconfig NAME > file`, as `ke env`, is a step of CI jobs).
import {loadForReading, requireInfo} from '../../cluster/lifecycle.js'
import {renderKubeConfig} from '../../kube/kubeconfig.js'
import type {CommandSession} from '../command-session.js'
import {ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

async function run(session: CommandSession): Promise<undefined> {
  const {args} = await session.parse(ONE_CLUSTER_SPEC)
  const info = requireInfo(await loadForReading(session.ctx().store, args.name), 'export')
  const yaml = await renderKubeConfig(args.name, info)
  // the user asked for the credentials: printed as is, not through the redactor
  if (!session.jsonEnabled()) process.stdout.write(yaml)
  else process.stdout.write(`${JSON.stringify({name: args.name, kubeconfig: yaml}, null, 2)}\n`)
  return undefined
}

export const kubeconfigCommand = {id: 'kubeconfig', spec: ONE_CLUSTER_SPEC, run} satisfies DirectCommand

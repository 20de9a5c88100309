// `ke env NAME`: what the oclif command (src/commands/env.ts) and bin/run.js's direct path both run. It
// follows every create in a CI job (`eval "$(ke env NAME)"`), so it runs without oclif too.
import {loadForReading, requireInfo} from '../../cluster/lifecycle.js'
import {addToSharedKubeconfig, clusterKubeconfigPath, sharedKubeconfigPath, writeClusterKubeconfig} from '../../kube/kubeconfig.js'
import type {CommandSession} from '../command-session.js'
import {ONE_CLUSTER_SPEC, type DirectCommand} from './direct-command.js'

async function run(session: CommandSession) {
  const {args} = await session.parse(ONE_CLUSTER_SPEC)
  const ctx = session.ctx()
  const info = requireInfo(await loadForReading(ctx.store, args.name), 'use')
  const path = clusterKubeconfigPath(ctx.store.logPath(args.name))
  await writeClusterKubeconfig(path, args.name, info)
  await addToSharedKubeconfig(sharedKubeconfigPath(ctx.home), args.name, info)
  const exportLine = `export KUBECONFIG=${JSON.stringify(path)}`
  // the reminder of how to use the line is for people; --quiet asks for the line alone
  session.printAnswer(session.quiet ? exportLine : `${exportLine}\n# run: eval "$(${session.suggestedCommand(`env ${args.name}`)})"`)
  return {kubeconfig: path, context: args.name}
}

export const envCommand = {id: 'env', spec: ONE_CLUSTER_SPEC, run} satisfies DirectCommand

// What `ke rm` tells a shell whose KUBECONFIG the removal changed under it: kubectl itself would fall
// back to localhost:8080 and say only that nothing answers there.
import {realpathSync} from 'node:fs'
import {basename, delimiter, dirname, join, resolve} from 'node:path'
import type {RemoveOutcome} from '../cluster/operations.js'

export interface KubeconfigSurroundings {
  /** KUBECONFIG as the shell has it. */
  kubeconfig: string | undefined
  cwd: string
  /** The removed cluster's own kubeconfig (what `ke env` exported). */
  clusterKubeconfig: string
  /** `ke env NAME` as the user runs ke. */
  envCommand: string
}

/** One line for each file KUBECONFIG lists that the removal of `removed` left without a cluster. */
export function kubeconfigWarningsAfterRemove(removed: RemoveOutcome, around: KubeconfigSurroundings): string[] {
  const listed = (around.kubeconfig ?? '').split(delimiter).filter(Boolean).map((file) => ({file, real: canonical(resolve(around.cwd, file))}))
  // most rms: no realpath calls at all
  if (listed.length === 0) return []
  const warnings: string[] = []
  const gone = canonical(around.clusterKubeconfig)
  const others = listed.filter(({real}) => real !== gone).map(({file}) => file)
  if (others.length < listed.length) {
    const fix = others.length === 0 ? `run \`unset KUBECONFIG\`, or \`eval "$(${around.envCommand})"\` for another cluster` : `run \`export KUBECONFIG=${JSON.stringify(others.join(delimiter))}\``
    warnings.push(`KUBECONFIG still names ${removed.name}'s kubeconfig, which rm removed (${around.clusterKubeconfig}): ${fix}`)
  }
  const shared = removed.clearedCurrentContext
  const sharedReal = shared && canonical(shared)
  if (shared && listed.some(({real}) => real === sharedReal)) {
    warnings.push(`KUBECONFIG names ${shared}, whose current context was ${removed.name}: it has none now; pick one of those left with \`kubectl config use-context NAME\`, or add a cluster with \`${around.envCommand}\``)
  }
  return warnings
}

/** `path` with symlinks resolved as far as it exists (a removed file and its folder are gone). */
function canonical(path: string): string {
  const parent = dirname(path)
  try {
    return join(realpathSync(parent), basename(path))
  } catch {
    return parent === path ? path : join(canonical(parent), basename(path))
  }
}

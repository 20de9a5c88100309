// What `ke create` and `ke update` show when their flow is done: the dry run, or the cluster (and what
// --check-access found). The result is what --json prints.
import type {DryRun} from '../cluster/dry-run.js'
import {requireInfo} from '../cluster/lifecycle.js'
import {publicRecord} from '../cluster/public-record.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import {checkAccess} from '../kube/access.js'
import {clusterSummary} from '../ui/views/cluster.js'
import {renderDryRun} from '../ui/views/dry-run.js'
import type {CommandSession} from './command-session.js'

type Outcome = {dryRun: false; cluster: ClusterRecord; warnings: string[]; retried?: boolean} | DryRun

export async function showClusterOutcome(session: CommandSession, outcome: Outcome, withAccessCheck: boolean): Promise<object> {
  if (outcome.dryRun) {
    for (const warning of outcome.warnings) session.warn(warning)
    session.print(renderDryRun(outcome))
    return outcome
  }
  const access = withAccessCheck ? await checkAccess(outcome.cluster.name, requireInfo(outcome.cluster, 'check')) : undefined
  session.print(clusterSummary(outcome.cluster, session.ctx().colors, session.suggestedCommand(`env ${outcome.cluster.name}`)))
  if (access) session.print(`  access:   ${access.server} answers (Kubernetes ${access.serverVersion}); the ${access.authentication} may list namespaces`)
  return {cluster: publicRecord(outcome.cluster), ...('retried' in outcome ? {retried: outcome.retried} : {}), warnings: outcome.warnings, access}
}

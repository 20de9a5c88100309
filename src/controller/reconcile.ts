// One reconcile of one Cluster: read it fresh, decide (reconcile-decision.ts), act, and say how it went
// so the queue knows what next (nothing, a retry after back-off, a wait for a busy Lease).
import {KeError} from '../errors.js'
import {withCondition} from './cluster-api.js'
import {decide, type Action} from './reconcile-decision.js'
import type {ReconcileDeps} from './reconcile-deps.js'
import {createOrUpdate} from './reconcile-create.js'
import {InvalidSpec} from './reconcile-invalid.js'
import {removeOrFail, skipRemove} from './reconcile-remove.js'

/** A cluster whose Lease another ke holds is looked at again after this, without counting a failure. */
export const BUSY_RETRY_MS = 5_000

export type Outcome =
  | {result: 'done'; action: Action['kind']}
  | {result: 'busy'; action: Action['kind']; retryAfterMs: number}
  | {result: 'invalid'; action: Action['kind']; reason: string}
  | {result: 'interrupted'; action: Action['kind']}
  | {result: 'failed'; action: Action['kind']; error: unknown}

export interface ReconcileRequest {
  namespace: string
  name: string
  /** A Secret named in spec.optionsFrom changed since the spec was last judged. */
  secretsChanged: boolean
}

export async function reconcile(deps: ReconcileDeps, req: ReconcileRequest): Promise<Outcome> {
  const {namespace, name} = req
  const object = await deps.objects.get(namespace, name)
  if (!object) return {result: 'done', action: 'none'}
  const action = decide(object, {secretsChanged: req.secretsChanged})
  const cluster = {name, uid: object.metadata.uid}
  try {
    switch (action.kind) {
      case 'none':
        return {result: 'done', action: action.kind}
      case 'add-finalizer':
        await deps.objects.setFinalizer(namespace, name, true)
        return {result: 'done', action: action.kind}
      case 'skip-remove':
        await skipRemove(deps, namespace, cluster)
        return {result: 'done', action: action.kind}
      case 'remove':
        await removeOrFail(deps, namespace, object)
        return {result: 'done', action: action.kind}
      case 'create':
      case 'update':
        deps.generations.set(`${namespace}/${name}`, object.metadata.generation ?? 0)
        await createOrUpdate(deps, action.kind, namespace, object)
        return {result: 'done', action: action.kind}
    }
  } catch (error) {
    return outcomeOf(deps, namespace, object.metadata.generation, cluster, action.kind, error)
  }
}

async function outcomeOf(deps: ReconcileDeps, namespace: string, generation: number | undefined, cluster: {name: string; uid?: string}, action: Action['kind'], error: unknown): Promise<Outcome> {
  if (error instanceof KeError && error.keCode === 'CLUSTER_BUSY') return {result: 'busy', action, retryAfterMs: BUSY_RETRY_MS}
  if (error instanceof KeError && error.keCode === 'CANCELLED') return {result: 'interrupted', action}
  if (error instanceof InvalidSpec) {
    await reportInvalid(deps, namespace, cluster, generation, error)
    return {result: 'invalid', action, reason: error.reason}
  }
  return {result: 'failed', action, error}
}

/** Ready=False with the reason, at the generation judged: the decision waits for a newer one. */
async function reportInvalid(deps: ReconcileDeps, namespace: string, cluster: {name: string; uid?: string}, generation: number | undefined, invalid: InvalidSpec): Promise<void> {
  const message = deps.redactor.redact(invalid.error.message + (invalid.error.hint ? ` (${invalid.error.hint})` : ''))
  // the Event first: whoever sees the condition finds the Event too
  await deps.events.emit(namespace, cluster, {type: 'Warning', reason: invalid.reason, message})
  await deps.objects.patchStatus(namespace, cluster.name, (status) => {
    let conditions = withCondition(status.conditions, 'Ready', false, invalid.reason, message)
    if (!status.conditions?.some((c) => c.type === 'Provisioned')) conditions = withCondition(conditions, 'Provisioned', false, invalid.reason, message)
    return {...status, conditions, lastError: message, ...(generation !== undefined ? {observedGeneration: generation} : {})}
  })
  deps.log.warn(`invalid spec: ${message}`, {cluster: `${namespace}/${cluster.name}`, reason: invalid.reason})
}

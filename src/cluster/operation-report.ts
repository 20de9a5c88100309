// What became of an operation, told where a user looks for it: a failure's record keeps the reason with
// the driver log's last lines (`ke inspect`; status.lastError on Kubernetes), and the store reports the
// outcome to whoever watches it (an Event on the Kubernetes store). The driver log itself stays on the
// machine that ran the driver; only a bounded, redacted tail leaves it.
import {ExitCode, isKeError} from '../errors.js'
import {throughOnePollPhase} from '../os/poll-phase.js'
import type {ClusterRecord} from '../store/cluster-record.js'
import type {OperationEvent} from '../store/cluster-store.js'
import type {FlowContext, SessionDriver} from './flow.js'
import {readLog} from './logs.js'

/** The record keeps at most this many of the log's last lines, and at most this many bytes of them. */
export const ERROR_LOG_LINES = 20
export const ERROR_LOG_BYTES = 4096
/** An Event is short (the API server allows 1 KiB): the reason and the very last lines. */
const EVENT_LOG_LINES = 5

/** Event reasons by command (`ke version set` → ctx.command `version set`). */
const REASONS: Record<string, {done: string; failed: string}> = {
  create: {done: 'Created', failed: 'CreateFailed'},
  update: {done: 'Updated', failed: 'UpdateFailed'},
  rm: {done: 'Removed', failed: 'RemoveFailed'},
  'version set': {done: 'VersionSet', failed: 'VersionSetFailed'},
  'size set': {done: 'Resized', failed: 'ResizeFailed'},
  'etcd save': {done: 'SnapshotSaved', failed: 'SnapshotSaveFailed'},
  'etcd restore': {done: 'SnapshotRestored', failed: 'SnapshotRestoreFailed'},
  'etcd remove': {done: 'SnapshotRemoved', failed: 'SnapshotRemoveFailed'},
}

function reasonsOf(command: string): {done: string; failed: string} {
  const known = REASONS[command]
  if (known) return known
  const camel = command.split(/[\s:-]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
  return {done: `${camel}Done`, failed: `${camel}Failed`}
}

/** The last `lines` lines, then cut from the front to `bytes` (the newest lines matter most). */
export function boundedTail(lines: string[], maxLines = ERROR_LOG_LINES, maxBytes = ERROR_LOG_BYTES): string {
  let text = lines.slice(-maxLines).join('\n')
  while (Buffer.byteLength(text, 'utf8') > maxBytes) {
    const cut = text.indexOf('\n')
    // one line longer than the bound: keep its end
    text = cut === -1 ? text.slice(text.length - Math.floor(maxBytes / 4)) : text.slice(cut + 1)
  }
  return text
}


/**
 * Failures worth telling: a driver or store that failed, an interruption. Not a usage error, a busy
 * lock, or a call the driver does not offer (nothing was tried).
 */
function isFailure(error: unknown): boolean {
  if (!isKeError(error)) return true
  if (error.keCode === 'DRIVER_UNSUPPORTED') return false
  return error.keCode === 'CANCELLED' || error.exitCode === ExitCode.FAILED
}

/** `: Kubernetes v1.30.2, 3 nodes, https://…` of what the driver reported, or nothing. */
export function describeInfo(cluster: ClusterRecord): string {
  const info = cluster.info
  if (!info) return ''
  const facts = [info.version && `Kubernetes ${info.version}`, info.nodeCount ? `${info.nodeCount} node${info.nodeCount === 1 ? '' : 's'}` : '', info.endpoint].filter(Boolean)
  return facts.length ? `: ${facts.join(', ')}` : ''
}

export interface OperationReport {
  /** For LifecycleDeps.failureLog: the log's bounded, redacted tail (the lifecycle is recording an Error). */
  failureLog(): Promise<string | undefined>
  /**
   * After a failure: unless the lifecycle recorded it already (create, update, rm record Error), the
   * record keeps the reason and the log's tail with its status unchanged (version, size, etcd); then
   * the store reports it. Call it while holding the cluster's lock. Never throws.
   */
  failed(error: unknown, opts?: {writeRecord?: boolean}): Promise<void>
  /** After a success: the store reports it. Never throws. */
  succeeded(message: string): Promise<void>
}

/** The report of one operation on `name`; the driver (once started) tells its output's last lines. */
export function operationReport(ctx: FlowContext, name: string, driver: () => SessionDriver | undefined): OperationReport {
  const reasons = reasonsOf(ctx.command)
  let recordedByLifecycle = false
  let tail: string | undefined

  async function readTail(): Promise<string> {
    const running = driver()
    // what a driver printed just before it answered may not be read from its pipe yet
    if (running?.logTail) await throughOnePollPhase()
    // the driver's own ring holds what it printed last, also lines not yet written to the file
    const lines = running?.logTail?.() ?? (await readLog(ctx.store.logPath(name), ERROR_LOG_LINES)).text.split('\n')
    return ctx.redactor.redact(boundedTail(lines.filter((line) => line.trim() !== '')))
  }

  async function report(event: OperationEvent): Promise<void> {
    try {
      await ctx.store.report?.(name, {...event, message: ctx.redactor.redact(event.message)})
    } catch {
      // best effort, as the store promises
    }
  }

  return {
    async failureLog() {
      recordedByLifecycle = true
      // read afresh: an earlier record (an interrupted create resumed) may have read it before the failure
      tail = await readTail().catch(() => '')
      return tail || undefined
    },

    async failed(error, {writeRecord = true} = {}) {
      if (!recordedByLifecycle && !isFailure(error)) return
      const message = ctx.redactor.redact(firstLine(error))
      try {
        tail ??= await readTail().catch(() => '')
        if (writeRecord && !recordedByLifecycle) {
          const current = await ctx.store.load(name)
          // an Error keeps its own reason: the failure that made it matters more
          const {errorLog: _previous, ...rest} = current
          if (current.status !== 'Error') await ctx.store.save({...rest, reason: message, ...(tail ? {errorLog: tail} : {})})
        }
      } catch {
        // telling must not hide the failure itself
      }
      const last = tail ? tail.split('\n').slice(-EVENT_LOG_LINES).join('\n') : ''
      await report({type: 'Warning', reason: reasons.failed, message: last ? `${message}\ndriver log, last lines:\n${last}` : message})
    },

    async succeeded(message) {
      await report({type: 'Normal', reason: reasons.done, message})
    },
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}

// The catalogue of checks (stable names and titles) and the recorder that runs one check at a time,
// timing it and turning whatever it throws into a failed result.
import {KeError} from '../errors.js'
import {CHECK_GROUPS, type CheckGroup, type CheckResult, type CheckStatus, type DriverAnswer, type VerifyHooks} from './types.js'

export const CHECKS = {
  'start-up.listens': 'starts and listens on its port',
  'start-up.capabilities': 'answers GetCapabilities',
  'start-up.secret': 'refuses calls without the driver secret ke gave it',
  'options.create-options': 'answers GetDriverCreateOptions',
  'options.update-options': 'answers GetDriverUpdateOptions',
  'options.types': 'every option type is string, bool, boolPtr, int, intPtr or stringSlice',
  'options.defaults': "every default matches its option's type",
  'options.unique-names': "option names stay unique in Rancher's camelCase",
  'options.name-parts': 'no option name has an empty part (a--b)',
  'options.usage': 'every option has a usage text',
  'options.secrets': 'options named like secrets are marked password',
  'contract.etcd-unclaimed': 'ETCD methods it does not claim return an error, not an empty success',
  'contract.get-version': 'GetVersion, when claimed, is implemented',
  'contract.set-version': 'SetVersion, when claimed, is implemented',
  'contract.get-node-count': 'GetNodeCount, when claimed, is implemented',
  'contract.set-node-count': 'SetNodeCount, when claimed, is implemented',
  'contract.update-options': 'Update, when implemented, has update options to change',
  'lifecycle.create': 'Create makes a cluster',
  'lifecycle.state-json': 'metadata.state from Create is JSON',
  'lifecycle.post-check': 'PostCheck answers for the new cluster',
  'lifecycle.token': 'PostCheck returns a service account token',
  'lifecycle.endpoint': 'PostCheck returns an endpoint',
  'lifecycle.status': 'ClusterInfo.status is Running or empty, as kontainer-engine stores it',
  'lifecycle.state-round-trip': 'metadata.state survives being stored and sent back',
  'lifecycle.get-version': 'GetVersion answers (when claimed)',
  'lifecycle.set-version': 'SetVersion answers (when claimed)',
  'lifecycle.get-node-count': 'GetNodeCount answers (when claimed)',
  'lifecycle.set-node-count': 'SetNodeCount answers (when claimed)',
  'lifecycle.etcd-save': 'ETCDSave saves a snapshot (when claimed)',
  'lifecycle.etcd-restore': 'ETCDRestore restores it (when claimed)',
  'lifecycle.etcd-remove-snapshot': 'ETCDRemoveSnapshot removes it (when claimed)',
  'lifecycle.remove': 'Remove deletes what Create made',
} as const

export type CheckName = keyof typeof CHECKS

export function checksOf(group: CheckGroup): CheckName[] {
  return (Object.keys(CHECKS) as CheckName[]).filter((name) => groupOf(name) === group)
}

function groupOf(name: CheckName): CheckGroup {
  return name.slice(0, name.indexOf('.')) as CheckGroup
}

export interface Outcome {
  status: CheckStatus
  reason: string
  answers?: Record<string, DriverAnswer>
}

/** Names and groups a selection may hold, for the message about one that does not exist. */
function knownChecks(): string {
  return `groups ${CHECK_GROUPS.join(', ')}; checks ${Object.keys(CHECKS).join(', ')}`
}

/**
 * The checks `ids` select (names or groups), every one when `ids` is absent. Throws for an unknown
 * name, and for a lifecycle check without `full` (only the lifecycle makes a real cluster).
 */
export function selectChecks(ids: readonly string[] | undefined, full: boolean): ReadonlySet<CheckName> {
  const all = Object.keys(CHECKS) as CheckName[]
  if (ids === undefined) return new Set(full ? all : all.filter((name) => groupOf(name) !== 'lifecycle'))
  const selected = new Set<CheckName>()
  for (const id of ids) {
    const names = (CHECK_GROUPS as readonly string[]).includes(id) ? checksOf(id as CheckGroup) : id in CHECKS ? [id as CheckName] : []
    if (names.length === 0) throw new KeError('BAD_ARGUMENT', `unknown check ${JSON.stringify(id)}`, {hint: `name a check or a group: ${knownChecks()}`})
    if (!full && groupOf(names[0]) === 'lifecycle') {
      throw new KeError('BAD_ARGUMENT', `check ${id} needs the lifecycle, which makes a real cluster`, {hint: 'add --full, or `full: true` with ke/verify'})
    }
    for (const name of names) selected.add(name)
  }
  return selected
}

export const pass = (reason: string): Outcome => ({status: 'pass', reason})
export const fail = (reason: string): Outcome => ({status: 'fail', reason})
export const warn = (reason: string): Outcome => ({status: 'warn', reason})
export const skip = (reason: string): Outcome => ({status: 'skip', reason})

/** The first line of an error's message: reasons are one line. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].trim() || 'failed without a message'
}

/** Interruption (Ctrl-C) ends verification; it is not a finding about the driver. */
export function isCancelled(error: unknown): boolean {
  return error instanceof KeError && error.keCode === 'CANCELLED'
}

export class Recorder {
  readonly results: CheckResult[] = []

  /** `selected`: the checks the report holds; others may still run (their calls feed selected ones) but are not recorded. */
  constructor(
    private readonly hooks: VerifyHooks = {},
    private readonly selected?: ReadonlySet<CheckName>,
  ) {}

  wants(name: CheckName): boolean {
    return this.selected?.has(name) ?? true
  }

  wantsAny(group: CheckGroup): boolean {
    return checksOf(group).some((name) => this.wants(name))
  }

  /** Runs one check. A thrown error fails it, except an interruption, which propagates. */
  async run(name: CheckName, body: () => Outcome | Promise<Outcome>): Promise<Outcome> {
    if (this.wants(name)) this.hooks.onCheck?.(CHECKS[name])
    const started = Date.now()
    let outcome: Outcome
    try {
      outcome = await body()
    } catch (error) {
      if (isCancelled(error)) throw error
      outcome = fail(describeError(error))
    }
    this.record(name, outcome, Date.now() - started)
    return outcome
  }

  record(name: CheckName, outcome: Outcome, durationMs = 0): void {
    if (!this.wants(name)) return
    const {status, reason, answers} = outcome
    this.results.push({name, group: groupOf(name), title: CHECKS[name], status, reason, ...(answers && {answers}), durationMs})
  }

  skip(names: CheckName[], reason: string): void {
    for (const name of names) this.record(name, skip(reason))
  }

  /** Skips every check of `group` not recorded yet, but those in `except`. */
  skipRest(group: CheckGroup, reason: string, except: CheckName[] = []): void {
    const done = new Set([...this.results.map((result) => result.name), ...except])
    this.skip(checksOf(group).filter((name) => !done.has(name)), reason)
  }
}

/** Lifecycle positions ke records (PROTOCOL.md "Status values the host records"). */
export type Status = 'Init' | 'Pre-Creating' | 'Creating' | 'Post-Checking' | 'Running' | 'Error' | 'Updating'

export const STATUSES: readonly Status[] = ['Init', 'Pre-Creating', 'Creating', 'Post-Checking', 'Running', 'Error', 'Updating']

/** Where each status may go next. A crash can leave any in-flight status behind; those resume as Error. */
const ALLOWED_MOVES: Record<Status, readonly Status[]> = {
  Init: ['Pre-Creating', 'Error'],
  'Pre-Creating': ['Creating', 'Error'],
  Creating: ['Post-Checking', 'Error'],
  'Post-Checking': ['Running', 'Error'],
  Running: ['Updating', 'Error', 'Running'],
  Updating: ['Post-Checking', 'Running', 'Error'],
  Error: ['Pre-Creating', 'Updating', 'Error'],
}

export function canMove(from: Status, to: Status): boolean {
  return ALLOWED_MOVES[from].includes(to)
}

/** Statuses a `ke create NAME` may retry from: a failed create, or one whose ke died mid-way. */
export function isResumable(status: Status): boolean {
  return status === 'Error' || status === 'Init' || status === 'Pre-Creating' || status === 'Creating' || status === 'Post-Checking'
}

/** Statuses a running ke holds a cluster in; found without a live ke, that ke was stopped mid-way. */
export function isInFlight(status: Status): boolean {
  return status !== 'Running' && status !== 'Error'
}

/** A cluster that is (or was) provisioned enough for update, version, size and etcd calls. */
export function isProvisioned(status: Status): boolean {
  return status === 'Running' || status === 'Updating' || status === 'Error'
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value)
}

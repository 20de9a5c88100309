// The controller's work queue, keyed `namespace/name` (client-go's workqueue, written for ke): a key
// is queued once however often it is added, is never handed to two workers at once (added while in
// work, it comes back once the worker is done), may be added after a delay, and backs off
// exponentially while it keeps failing. Time comes from an injected clock, so specs need no sleeps.

export interface Clock {
  now(): number
  setTimer(fn: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const timer = setTimeout(fn, ms)
    // a pending retry must not keep a stopping controller alive
    timer.unref()
    return timer
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export interface Backoff {
  /** The delay after the first failure; each further one doubles it. */
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: Backoff = {baseMs: 1000, maxMs: 5 * 60 * 1000}

/** The delay after `failures` failures in a row (1 → base). */
export function backoffDelay(failures: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  if (failures <= 0) return 0
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30))
}

export class WorkQueue {
  private readonly queue: string[] = []
  /** Keys that must be worked on (queued, or to be queued again once their worker is done). */
  private readonly dirty = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly delayed = new Map<string, {at: number; timer: unknown}>()
  private readonly failures = new Map<string, number>()
  private readonly waiters: Array<(key: string | undefined) => void> = []
  private stopped = false

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  /** Queues `key` now; idempotent while it is queued. Ignored once shut down. */
  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return
    this.dirty.add(key)
    if (this.processing.has(key)) return
    const waiter = this.waiters.shift()
    if (waiter) {
      this.take(key)
      waiter(key)
    } else {
      this.queue.push(key)
    }
  }

  /** Queues `key` after `ms`; an earlier pending add of it wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return
    if (ms <= 0) return this.add(key)
    const at = this.clock.now() + ms
    const pending = this.delayed.get(key)
    if (pending && pending.at <= at) return
    if (pending) this.clock.clearTimer(pending.timer)
    const timer = this.clock.setTimer(() => {
      this.delayed.delete(key)
      this.add(key)
    }, ms)
    this.delayed.set(key, {at, timer})
  }

  /** Queues `key` after its back-off delay, which doubles with each failure in a row; returns the delay. */
  addWithBackoff(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1
    this.failures.set(key, failures)
    const delay = backoffDelay(failures, this.backoff)
    this.addAfter(key, delay)
    return delay
  }

  /** Ends the back-off of `key` (it succeeded, or is gone). */
  forget(key: string): void {
    this.failures.delete(key)
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0
  }

  /** The next key to work on, once there is one; undefined once shut down. Call done(key) after. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift()
    if (key !== undefined) {
      this.take(key)
      return Promise.resolve(key)
    }
    if (this.stopped) return Promise.resolve(undefined)
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** The worker is done with `key`: if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key)
    if (!this.dirty.has(key)) return
    this.dirty.delete(key)
    this.add(key)
  }

  /** Keys waiting for a worker (not those in work or delayed). */
  get depth(): number {
    return this.queue.length
  }

  /** Keys a worker holds now. */
  get inWork(): number {
    return this.processing.size
  }

  /** Stops handing out keys: waiting get()s answer undefined; delayed adds are dropped. */
  shutDown(): void {
    this.stopped = true
    for (const {timer} of this.delayed.values()) this.clock.clearTimer(timer)
    this.delayed.clear()
    this.queue.length = 0
    for (const waiter of this.waiters.splice(0)) waiter(undefined)
  }

  private take(key: string): void {
    this.dirty.delete(key)
    this.processing.add(key)
  }
}

// Every driver process ke starts is stopped when ke finishes, fails, or is told to stop
// (SIGINT/SIGTERM/SIGHUP). The supervisor owns the signal handlers and the abort signal that cancels
// the gRPC call under way, so the lifecycle can record "interrupted" before ke exits.
import {ExitCode, type KeError} from '../../errors.js'
import {releaseStopSignals} from './early-start.js'

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

const EXIT_FOR_SIGNAL: Record<StopSignal, number> = {SIGINT: ExitCode.SIGINT, SIGTERM: ExitCode.SIGTERM, SIGHUP: ExitCode.SIGHUP}

export function isStopSignal(value: unknown): value is StopSignal {
  return value === 'SIGINT' || value === 'SIGTERM' || value === 'SIGHUP'
}

/** 128 + the signal's number, as shells report a process a signal stopped. */
export function exitCodeForSignal(signal: StopSignal): number {
  return EXIT_FOR_SIGNAL[signal]
}

interface Stoppable {
  stop(): Promise<void>
}

/** Work that must finish what it started (remove what it made) before ke stops. */
export interface Deferral {
  /** The first signal: the work is asked to stop after the call under way and clean up. */
  onFirst(signal: StopSignal): void
  /** The second signal, just before ke stops everything at once: say what may remain. */
  onSecond(signal: StopSignal): void
}

export class Supervisor {
  private readonly controller = new AbortController()
  private readonly children = new Set<Stoppable>()
  private readonly handlers = new Map<StopSignal, () => void>()
  private deferral: Deferral | undefined
  interruptedBy: StopSignal | undefined

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Installs handlers for the life of one command; a second signal stops at once. */
  install(): void {
    for (const signal of Object.keys(EXIT_FOR_SIGNAL) as StopSignal[]) {
      const handler = () => this.onSignal(signal)
      this.handlers.set(signal, handler)
      process.on(signal, handler)
    }
    releaseStopSignals()
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler)
    this.handlers.clear()
  }

  track<T extends Stoppable>(child: T): T {
    this.children.add(child)
    return child
  }

  async stop(child: Stoppable): Promise<void> {
    this.children.delete(child)
    await child.stop()
  }

  /**
   * Starts stopping `child` while the command finishes its own work (the last record, the output): a
   * driver takes milliseconds to exit, which then pass alongside. stopAll still waits for it.
   */
  stopSoon(child: Stoppable): void {
    if (this.children.has(child)) child.stop().catch(() => undefined)
  }

  async stopAll(): Promise<void> {
    const all = [...this.children]
    this.children.clear()
    await Promise.allSettled(all.map((child) => child.stop()))
  }

  /**
   * Until the returned function is called, the first signal neither cancels the call under way nor stops
   * the drivers: it only tells `deferral`, which winds the work down itself. A second signal still stops
   * everything at once.
   */
  defer(deferral: Deferral): () => void {
    this.deferral = deferral
    return () => {
      if (this.deferral === deferral) this.deferral = undefined
    }
  }

  exitCodeFor(signal: StopSignal): number {
    return EXIT_FOR_SIGNAL[signal]
  }

  /** The exit code of a command that failed with `error`: the signal's, when one stopped it (unless the error is that stop). */
  exitCodeAfter(error: KeError): number {
    return this.interruptedBy && error.keCode !== 'CANCELLED' ? EXIT_FOR_SIGNAL[this.interruptedBy] : error.exitCode
  }

  private onSignal(signal: StopSignal): void {
    if (this.interruptedBy) {
      // asked twice: do not wait for graceful shutdown of anything
      this.deferral?.onSecond(signal)
      void this.stopAll().finally(() => process.exit(EXIT_FOR_SIGNAL[signal]))
      return
    }
    this.interruptedBy = signal
    if (this.deferral) return this.deferral.onFirst(signal)
    // the reason tells whoever sees the abort (a driver still starting) which exit code to give
    this.controller.abort(signal)
    void this.stopAll()
  }
}

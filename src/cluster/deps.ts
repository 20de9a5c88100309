import type {Redactor} from '../redact.js'
import type {ClusterStore} from '../store/cluster-store.js'

/** What the lifecycle reports as it goes; the UI decides how it looks (spinner, lines, nothing). */
export interface Progress {
  /** Something brief before the first stage (starting the driver): shown only where it can be replaced. */
  activity?(text: string): void
  stage(text: string): void
  warn(text: string): void
  done(text?: string): void
  /** Stops showing the stage under way without calling it done: an error is printed next. */
  clear?(): void
}

export const silentProgress: Progress = {stage: () => {}, warn: () => {}, done: () => {}}

export interface LifecycleDeps {
  store: ClusterStore
  progress: Progress
  redactor: Redactor
  /**
   * The command that runs, for the record's history and the lock's holder: the CLI's command id
   * (`create`, `update`, ...) or a whole command line (`ke controller`).
   */
  command: string
  /** Aborted when the user interrupts ke: no further driver call starts, the record says so. */
  signal?: AbortSignal
  /** The driver log's last lines (redacted), kept beside the reason when a step records Error. */
  failureLog?: () => Promise<string | undefined>
  /**
   * Told once the driver has answered the operation's last call (create and update: PostCheck;
   * rm: Remove), before the record is saved: a driver ke started may begin to stop meanwhile.
   */
  driverDone?: () => void
}

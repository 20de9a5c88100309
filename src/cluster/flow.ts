import type {DriverEnvOptions} from '../driver/run/env.js'
import {openDriver, type OpenDriverRequest, type SessionContext} from '../driver/run/session.js'
import type {ClusterDriver} from '../protocol/types.js'
import type {LifecycleDeps} from './deps.js'

/** A driver one command runs: its calls, plus where its output and errors point once the cluster is known. */
export interface SessionDriver extends ClusterDriver {
  /** From now on the driver's output also goes to the cluster's log file, after `header`. */
  logTo(path: string, header: string): void
  /** From now on the driver's errors name the cluster (and `ke logs NAME`). */
  forCluster(name: string): void
  /** The driver's last output lines (redacted), newest last; unset where there is no output to tell. */
  logTail?(): string[]
}

export type DriverOpener = (req: OpenDriverRequest) => Promise<SessionDriver>

/** What the command layer hands to a flow: driver sessions plus the lifecycle's dependencies. */
export type FlowContext = SessionContext &
  LifecycleDeps & {
    /** Starts or attaches to a driver; specs pass a fake one. Unset, the real one (driver/run/session.ts) runs. */
    openDriver?: DriverOpener
  }

/** How this flow starts drivers: the context's opener, else a real driver process tracked by the supervisor. */
export function driverOpener(ctx: FlowContext): DriverOpener {
  return ctx.openDriver ?? ((req) => openDriver(ctx, req))
}

/** oclif's parse, with the driver's flags added to the command's own. */
export type ParseWithDriverFlags = (driverFlags: Record<string, any>, flagNames: string[]) => Promise<{
  args: Record<string, string | undefined>
  flags: Record<string, any>
}>

/** The cluster name as the first parse tells it, before the driver's flags are known. */
export interface NameBeforeDriver {
  /** A positional that stays one whatever the driver's flags are: the name, if the command line is right. */
  certain?: string
  /**
   * Every token that may be positional. When none is certain, each follows a flag ke does not know,
   * whose value it may be (`--private NAME`): only the full parse, with the driver's flags, tells.
   */
  possible: string[]
}

/** How to run the driver; read before the full parse because the driver starts first. */
export interface DriverSettings {
  readyTimeoutMs?: number
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
  driverEnv?: DriverEnvOptions
  /** 127.0.0.1:PORT of a driver the user runs; ke neither starts nor stops it. */
  attach?: string
}

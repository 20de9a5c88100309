import type {DriverEnvOptions} from '../driver/env.js'
import type {SessionContext} from '../driver/session.js'
import type {FileStore} from '../store/file-store.js'
import type {LifecycleDeps} from './deps.js'

/** What the command layer hands to a flow: driver sessions plus the lifecycle's dependencies. */
export interface FlowContext extends SessionContext, LifecycleDeps {
  store: FileStore
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

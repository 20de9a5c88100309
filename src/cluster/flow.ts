import type {DriverEnvOptions} from '../driver/env.js'
import type {SessionContext} from '../driver/session.js'
import type {LifecycleDeps} from './deps.js'

/** What the command layer hands to a flow: driver sessions plus the lifecycle's dependencies. */
export type FlowContext = SessionContext & LifecycleDeps

/** oclif's parse, with the driver's flags added to the command's own. */
export type ParseWithDriverFlags = (driverFlags: Record<string, any>, flagNames: string[]) => Promise<{
  args: Record<string, string | undefined>
  flags: Record<string, any>
}>

/** How to run the driver; read before the full parse because the driver starts first. */
export interface DriverSettings {
  readyTimeoutMs?: number
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
  driverEnv?: DriverEnvOptions
  /** 127.0.0.1:PORT of a driver the user runs; ke neither starts nor stops it. */
  attach?: string
}

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

/** --driver-timeout and --timeout, read before the full parse because the driver starts first. */
export interface DriverTimeouts {
  readyTimeoutMs?: number
  longCallTimeoutMs?: number
  quickCallTimeoutMs?: number
}

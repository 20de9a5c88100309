// Flags several commands share, defined once.
import {Flags} from '@oclif/core'
import type {DriverSettings} from '../cluster/flow.js'
import {KEY_STYLES} from '../driver/options/option-values.js'
import type {DriverEnvOptions} from '../driver/run/env.js'
import {parseEnvPairs, readEnvFile} from '../driver/run/env-file.js'
import {DRIVER_FLAG, type DriverStartFlag} from '../driver/run/start-flags.js'

/** The store of cluster records, a global flag of every command (KE_STORE when absent). */
export const storeFlag = {
  store: Flags.string({description: 'where cluster records and locks live: file ($KE_HOME, the default) or kubernetes[:CONTEXT][/NAMESPACE] (also KE_STORE)', helpGroup: 'GLOBAL'}),
}

/** A week: longer than any create, and well inside what grpc-js accepts as a deadline. */
const MAX_SECONDS = 7 * 24 * 3600

/**
 * How long a quick look at a driver's options (`--help`, `driver check`) waits unless --timeout says
 * otherwise: a driver that never answers must not hold a help page for a minute.
 */
export const OPTIONS_PEEK_TIMEOUT_MS = 10_000

/** ke's flags for the driver, apart from the driver's own flags (headed by its name: ui/help.ts). */
export const DRIVER_HELP_GROUP = 'DRIVER PROCESS'

export const driverTimeoutFlags = {
  'driver-timeout': Flags.integer({description: 'seconds to wait for the driver to start listening', default: 30, min: 1, max: MAX_SECONDS, helpGroup: DRIVER_HELP_GROUP}),
  timeout: Flags.integer({description: 'seconds any one driver call may take (default: none for create/update/remove, 60 for quick calls, 10 for reading the driver\'s options for --help)', min: 1, max: MAX_SECONDS, helpGroup: DRIVER_HELP_GROUP}),
}

export const driverFlag = {
  [DRIVER_FLAG.name]: Flags.string({char: DRIVER_FLAG.char, description: 'driver: a path, an installed name (kontainer-engine-driver-NAME), or a built-in: sample, import', helpGroup: DRIVER_HELP_GROUP}),
}

export const optionInputFlags = {
  config: Flags.string({description: 'JSON or YAML file of option values (kebab-case or camelCase keys)'}),
  'dry-run': Flags.boolean({description: 'print the options that would be sent, call nothing but the options RPC'}),
  'key-style': Flags.string({description: 'send option keys as declared, as camelCase, or both', options: [...KEY_STYLES], helpGroup: DRIVER_HELP_GROUP}),
}

/** The timeouts as parsed (by the first parse: the driver starts before the full one). */
export function timeoutsOf(flags: {'driver-timeout'?: number; timeout?: number}): DriverSettings {
  const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000)
  return {readyTimeoutMs: ms(flags['driver-timeout']), longCallTimeoutMs: ms(flags.timeout), quickCallTimeoutMs: ms(flags.timeout)}
}

/** How the driver runs: its environment, or a driver already running that ke attaches to. */
export const driverRuntimeFlags = {
  env: Flags.string({description: 'add NAME=VALUE to the driver\'s environment (repeatable; values are treated as secrets)', multiple: true, multipleNonGreedy: true, helpGroup: DRIVER_HELP_GROUP}),
  'env-file': Flags.string({description: 'add the NAME=VALUE lines of a file to the driver\'s environment', helpGroup: DRIVER_HELP_GROUP}),
  'rancher-env': Flags.boolean({description: 'run the driver as Rancher does: PATH=/usr/bin and proxy variables only', helpGroup: DRIVER_HELP_GROUP}),
  attach: Flags.string({description: 'use a driver you already run at 127.0.0.1:PORT (ke neither starts nor stops it)', helpGroup: DRIVER_HELP_GROUP}),
} satisfies Record<DriverStartFlag, unknown>

export const checkAccessFlag = {
  'check-access': Flags.boolean({description: "afterwards, check the API answers /version and the returned credentials may list namespaces"}),
}

export const setFlags = {
  set: Flags.string({description: 'send an option the driver does not declare: key=value (string)', multiple: true, multipleNonGreedy: true}),
  'set-int': Flags.string({description: 'same, as an int: key=3', multiple: true, multipleNonGreedy: true}),
  'set-bool': Flags.string({description: 'same, as a bool: key=true', multiple: true, multipleNonGreedy: true}),
  'set-slice': Flags.string({description: 'same, as a string list: key=a,b', multiple: true, multipleNonGreedy: true}),
  'set-secret': Flags.string({description: 'same, a secret never stored or printed: key=value, or key with the value in KE_OPT_<KEY>', multiple: true, multipleNonGreedy: true}),
}

export interface DriverRuntime {
  driverEnv: DriverEnvOptions
  attach?: string
  /** --env values: secrets for the redactor. */
  secrets: string[]
}

/** The driver's environment and --attach as parsed (by the first parse: the driver starts before the full one). */
export function driverRuntimeOf(flags: {env?: string[]; 'env-file'?: string; 'rancher-env'?: boolean; attach?: string}): DriverRuntime {
  const file = flags['env-file']
  const extra = {...(file ? readEnvFile(file) : {}), ...parseEnvPairs(flags.env ?? [])}
  return {
    driverEnv: {extra, rancher: Boolean(flags['rancher-env'])},
    attach: flags.attach,
    secrets: Object.values(extra),
  }
}

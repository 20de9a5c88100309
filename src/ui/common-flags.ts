// Flags several commands share, defined once.
import {Flags} from '@oclif/core'
import {KeError} from '../errors.js'
import type {DriverTimeouts} from '../cluster/flow.js'
import {KEY_STYLES} from '../driver/option-values.js'
import {readFlagValue} from './argv.js'

export const driverTimeoutFlags = {
  'driver-timeout': Flags.integer({description: 'seconds to wait for the driver to start listening', default: 30, min: 1, helpGroup: 'DRIVER'}),
  timeout: Flags.integer({description: 'seconds any one driver call may take (default: none for create/update/remove, 60 for quick calls)', min: 1, helpGroup: 'DRIVER'}),
}

export const driverFlag = {
  driver: Flags.string({char: 'd', description: 'driver: a path, an installed name (kontainer-engine-driver-NAME), or sample', helpGroup: 'DRIVER'}),
}

export const optionInputFlags = {
  config: Flags.string({description: 'JSON or YAML file of option values (kebab-case or camelCase keys)'}),
  'dry-run': Flags.boolean({description: 'print the options that would be sent, call nothing but the options RPC'}),
  'key-style': Flags.string({description: 'send option keys as declared, as camelCase, or both', options: [...KEY_STYLES], helpGroup: 'DRIVER'}),
}

function readSeconds(argv: string[], name: string): number | undefined {
  const text = readFlagValue(argv, name)
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new KeError('BAD_FLAG', `--${name} must be a whole number of seconds, got ${JSON.stringify(text)}`, {hint: `e.g. --${name} 60`})
  }
  return Number(text) * 1000
}

/** Timeouts are needed before the full parse (the driver starts first), so they are read from argv. */
export function readTimeouts(argv: string[]): DriverTimeouts {
  const timeout = readSeconds(argv, 'timeout')
  return {readyTimeoutMs: readSeconds(argv, 'driver-timeout'), longCallTimeoutMs: timeout, quickCallTimeoutMs: timeout}
}

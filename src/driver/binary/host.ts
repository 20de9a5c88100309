// The machine a binary is checked against: this one, or one a test simulates.
import type {HostInfo} from './types.js'

/** The machine ke runs on. */
export function currentHost(): HostInfo {
  return resolveHost({})
}

export function resolveHost(host: Partial<HostInfo>): HostInfo {
  // `'glibc' in host` lets a test simulate a machine without glibc by passing glibc: undefined.
  const glibc = 'glibc' in host ? host.glibc : installedGlibc()
  const machine: HostInfo = {os: host.os ?? process.platform, arch: host.arch ?? process.arch}
  if (glibc) machine.glibc = glibc
  return machine
}

let cachedGlibc: {version: string | undefined} | undefined

function installedGlibc(): string | undefined {
  if (process.platform !== 'linux') return undefined
  // getReport takes a few ms: once per process is enough.
  cachedGlibc ??= {version: (process.report?.getReport() as {header?: {glibcVersionRuntime?: string}})?.header?.glibcVersionRuntime}
  return cachedGlibc.version
}

import type {Capabilities, Capability} from './types.js'

/**
 * The wire numbers of capabilities, named once. They are fixed by kontainer-engine's declaration order
 * (types/capabilities.go), which every existing driver compiled in.
 */
export const CAPABILITY_NUMBERS: Record<Capability, number> = {
  getVersion: 0,
  setVersion: 1,
  getClusterSize: 2,
  setClusterSize: 3,
  etcdBackup: 4,
}

export const CAPABILITY_NAMES = Object.keys(CAPABILITY_NUMBERS) as Capability[]

/**
 * protobufjs decodes int64 map keys as their 8 raw bytes (little-endian "long hash") rather than as
 * digits; encoding accepts digits. Turn either form into the decimal key.
 */
export function decodeInt64Key(key: string): string {
  if (/^-?\d+$/.test(key) || key.length !== 8) return key
  const byte = (i: number) => key.charCodeAt(i) & 0xff
  const low = (byte(0) | (byte(1) << 8) | (byte(2) << 16) | (byte(3) << 24)) >>> 0
  const high = (byte(4) | (byte(5) << 8) | (byte(6) << 16) | (byte(7) << 24)) >>> 0
  return String(high * 2 ** 32 + low)
}

export function fromWireCapabilities(wire: Record<string, boolean> | undefined): Capabilities {
  const byNumber = new Map(Object.entries(wire ?? {}).map(([key, value]) => [decodeInt64Key(key), value]))
  const caps = {} as Capabilities
  for (const name of CAPABILITY_NAMES) caps[name] = byNumber.get(String(CAPABILITY_NUMBERS[name])) === true
  return caps
}

export function toWireCapabilities(caps: Partial<Capabilities>): Record<string, boolean> {
  const wire: Record<string, boolean> = {}
  for (const name of CAPABILITY_NAMES) if (caps[name]) wire[String(CAPABILITY_NUMBERS[name])] = true
  return wire
}

/** What each capability lets the user do, for "driver X does not support ..." messages. */
export const CAPABILITY_ACTIONS: Record<Capability, string> = {
  getVersion: 'reading the Kubernetes version',
  setVersion: 'changing the Kubernetes version',
  getClusterSize: 'reading the node count',
  setClusterSize: 'changing the node count',
  etcdBackup: 'etcd snapshots',
}

// PE (a Windows .exe downloaded by mistake)
import type {BinaryReport} from './types.js'

const PE_MACHINES: Record<number, string> = {0x14c: 'ia32', 0x8664: 'x64', 0x1c0: 'arm', 0x1c4: 'arm', 0xaa64: 'arm64'}

export function isPe(head: Buffer): boolean {
  if (head.length < 64 || head.toString('latin1', 0, 2) !== 'MZ') return false
  const pe = head.readUInt32LE(0x3c)
  return pe + 6 <= head.length && head.toString('latin1', pe, pe + 4) === 'PE\0\0'
}

export function parsePe(head: Buffer): Partial<BinaryReport> {
  const machine = head.readUInt16LE(head.readUInt32LE(0x3c) + 4)
  const arch = PE_MACHINES[machine] ?? `pe-machine-${machine}`
  return {format: 'pe', os: 'win32', arch, bits: arch === 'x64' || arch === 'arm64' ? 64 : 32}
}

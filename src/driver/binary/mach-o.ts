// Mach-O (macOS), thin and universal: CPU(s), width, linkage, and whether it is a program at all.
import {cString} from './read.js'
import type {BinaryReport, ParsedHeader} from './types.js'

const MH_MAGIC_32 = 0xfeedface
const MH_MAGIC_64 = 0xfeedfacf
const FAT_MAGIC = 0xcafebabe
const FAT_MAGIC_64 = 0xcafebabf
export const MH_EXECUTE = 2
const LC_LOAD_DYLINKER = 0xe
const CPU_ARCH_ABI64 = 0x01000000

const MACHO_CPUS: Record<number, string> = {
  7: 'ia32',
  [7 | CPU_ARCH_ABI64]: 'x64',
  12: 'arm',
  [12 | CPU_ARCH_ABI64]: 'arm64',
  18: 'ppc',
  [18 | CPU_ARCH_ABI64]: 'ppc64',
}

/** Undefined when the head is no Mach-O. */
export function parseMachO(head: Buffer): ParsedHeader | undefined {
  if (head.length < 28) return undefined
  const big = head.readUInt32BE(0)
  const little = head.readUInt32LE(0)
  if (big === FAT_MAGIC || big === FAT_MAGIC_64) return isFatMachO(head) ? parseFatMachO(head) : undefined
  if (big === MH_MAGIC_32 || big === MH_MAGIC_64) return parseThinMachO(head, false)
  if (little === MH_MAGIC_32 || little === MH_MAGIC_64) return parseThinMachO(head, true)
  return undefined
}

// Java class files share 0xcafebabe; their version field (>= 45) is far above any real slice count.
function isFatMachO(head: Buffer): boolean {
  const slices = head.readUInt32BE(4)
  return slices > 0 && slices < 45
}

function parseThinMachO(head: Buffer, little: boolean): ParsedHeader {
  const u32 = (offset: number): number => (little ? head.readUInt32LE(offset) : head.readUInt32BE(offset))
  const is64 = u32(0) === MH_MAGIC_64
  const cpu = u32(4)
  const interpreter = machODylinker(head, u32, is64 ? 32 : 28, u32(16))
  const header: Partial<BinaryReport> = {
    format: 'mach-o',
    os: 'darwin',
    arch: machOArch(cpu),
    bits: is64 ? 64 : 32,
    linkage: interpreter ? 'dynamic' : 'static',
    ...(interpreter ? {interpreter} : {}),
  }
  return {header, facts: {machOFileType: u32(12)}}
}

/** Walks the load commands that fit in the head; dyld's path means a dynamic binary (every real macOS program). */
function machODylinker(head: Buffer, u32: (offset: number) => number, start: number, commands: number): string | undefined {
  let at = start
  for (let i = 0; i < commands && at + 8 <= head.length; i++) {
    const command = u32(at)
    const size = u32(at + 4)
    if (command === LC_LOAD_DYLINKER && at + 12 <= head.length) return cString(head.subarray(at, at + size), u32(at + 8)) || undefined
    if (size < 8) break
    at += size
  }
  return undefined
}

/** A universal binary: report the slice this machine would run, else the first. */
function parseFatMachO(head: Buffer): ParsedHeader {
  const entrySize = head.readUInt32BE(0) === FAT_MAGIC_64 ? 32 : 20
  const slices: string[] = []
  for (let i = 0, at = 8; i < head.readUInt32BE(4) && at + 8 <= head.length; i++, at += entrySize) {
    slices.push(machOArch(head.readUInt32BE(at)))
  }
  const header: Partial<BinaryReport> = {format: 'mach-o', os: 'darwin', arch: slices[0] ?? 'unknown', linkage: 'dynamic'}
  return {header, facts: {machOSlices: slices}}
}

function machOArch(cpu: number): string {
  return MACHO_CPUS[cpu] ?? `mach-o-cpu-${cpu}`
}

// The glibc version an ELF binary needs, from its version-needed table, and how versions compare.
import type {ElfFields, ElfSection, ElfSegment} from './elf-fields.js'
import {cString, type RandomAccessFile} from './read.js'

const PT_LOAD = 1
const SHT_GNU_VERNEED = 0x6ffffffe
const DT_STRTAB = 5
const DT_STRSZ = 10
const DT_VERNEED = 0x6ffffffe
const DT_VERNEEDNUM = 0x6fffffff

/**
 * The highest GLIBC_x.y the binary asks for, from the version-needed table (.gnu.version_r).
 * Binaries stripped of section headers still have it through the dynamic segment (DT_VERNEED).
 */
export async function requiredGlibc(
  file: RandomAccessFile,
  header: ElfFields,
  segments: ElfSegment[],
  sections: ElfSection[],
  dynamic: Map<number, number>,
): Promise<string | undefined> {
  const table = (await versionNeedsFromSections(file, sections)) ?? (await versionNeedsFromDynamic(file, segments, dynamic))
  if (!table) return undefined
  const versions = versionNeedNames(header.with(table.verneed), table.strings, table.count).flatMap((name) => {
    const match = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(name)
    return match ? [match[1]!] : []
  })
  return versions.sort(compareVersions).at(-1)
}

interface VersionNeedTable {
  verneed: Buffer
  strings: Buffer
  /** Number of Verneed entries, when known; otherwise the chain ends at vn_next = 0. */
  count?: number
}

async function versionNeedsFromSections(file: RandomAccessFile, sections: ElfSection[]): Promise<VersionNeedTable | undefined> {
  const verneed = sections.find((section) => section.type === SHT_GNU_VERNEED)
  const strings = verneed ? sections[verneed.link] : undefined
  if (!verneed || !strings) return undefined
  // sh_info holds the number of entries in a version-needed section.
  return {verneed: await file.read(verneed.offset, verneed.size), strings: await file.read(strings.offset, strings.size), count: verneed.info || undefined}
}

async function versionNeedsFromDynamic(file: RandomAccessFile, segments: ElfSegment[], dynamic: Map<number, number>): Promise<VersionNeedTable | undefined> {
  const verneedAt = fileOffsetOf(dynamic.get(DT_VERNEED), segments)
  const stringsAt = fileOffsetOf(dynamic.get(DT_STRTAB), segments)
  const stringsSize = dynamic.get(DT_STRSZ)
  if (verneedAt === undefined || stringsAt === undefined || stringsSize === undefined) return undefined
  // The Verneed chain is self-delimiting; 64 KiB holds any real one.
  return {verneed: await file.read(verneedAt, 65536), strings: await file.read(stringsAt, stringsSize), count: dynamic.get(DT_VERNEEDNUM)}
}

/** Dynamic-section values are virtual addresses; a loaded segment maps them back to the file. */
function fileOffsetOf(address: number | undefined, segments: ElfSegment[]): number | undefined {
  if (address === undefined) return undefined
  const load = segments.find((s) => s.type === PT_LOAD && address >= s.vaddr && address < s.vaddr + s.filesz)
  return load ? load.offset + (address - load.vaddr) : undefined
}

/** Elf32_Verneed and Elf64_Verneed have the same 16-byte layout, as do their Vernaux entries. */
function versionNeedNames(verneed: ElfFields, strings: Buffer, count = Number.MAX_SAFE_INTEGER): string[] {
  const names: string[] = []
  const seen = new Set<number>()
  let entry = 0
  for (let n = 0; n < count && entry + 16 <= verneed.buffer.length && !seen.has(entry); n++) {
    seen.add(entry)
    const auxCount = verneed.u16(entry + 2)
    let aux = entry + verneed.u32(entry + 8)
    for (let i = 0; i < auxCount && aux + 16 <= verneed.buffer.length; i++) {
      names.push(cString(strings, verneed.u32(aux + 8)))
      const next = verneed.u32(aux + 12)
      if (next === 0) break
      aux += next
    }
    const next = verneed.u32(entry + 12)
    if (next === 0) break
    entry += next
  }
  return names
}

export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number)
  const right = b.split('.').map(Number)
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}

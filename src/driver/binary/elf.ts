// ELF (Linux and the BSDs): OS, CPU, width, linkage, program loader, and the glibc version it needs.
import {ElfFields, type ElfSection, type ElfSegment} from './elf-fields.js'
import {requiredGlibc} from './elf-glibc.js'
import {cString, type RandomAccessFile} from './read.js'
import type {BinaryReport, ParsedHeader} from './types.js'

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46])
export const ET_REL = 1
const ET_DYN = 3
export const ET_CORE = 4
const PT_DYNAMIC = 2
const PT_INTERP = 3
const DT_NULL = 0
const DT_NEEDED = 1

// e_machine -> node's process.arch names.
const ELF_MACHINES: Record<number, string | ((littleEndian: boolean) => string)> = {
  2: 'sparc',
  3: 'ia32',
  8: (little) => (little ? 'mipsel' : 'mips'),
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  43: 'sparc64',
  62: 'x64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
}

// EI_OSABI; 0 (System V) is what Linux binaries, Go's included, carry.
const ELF_OSABI: Record<number, string> = {2: 'netbsd', 3: 'linux', 6: 'sunos', 9: 'freebsd', 12: 'openbsd'}

export function isElf(head: Buffer): boolean {
  return head.length >= 52 && head.subarray(0, 4).equals(ELF_MAGIC)
}

export async function parseElf(file: RandomAccessFile, head: Buffer): Promise<ParsedHeader> {
  const is64 = head[4] === 2
  const fields = new ElfFields(head, is64, head[5] !== 2)
  const machine = ELF_MACHINES[fields.u16(18)]
  const arch = typeof machine === 'function' ? machine(fields.little) : machine ?? `elf-machine-${fields.u16(18)}`
  const segments = await readSegments(file, fields).catch(() => [] as ElfSegment[])
  const sections = await readSections(file, fields).catch(() => [] as ElfSection[])
  const interpreter = await readInterpreter(file, segments)
  const dynamic = await readDynamic(file, fields, segments).catch(() => new Map<number, number>())
  const elfType = fields.u16(16)
  // A program linked against shared libraries names a loader; a shared library needs libraries but names none.
  const needsLibraries = dynamic.has(DT_NEEDED)
  const linkage = interpreter || needsLibraries ? 'dynamic' : 'static'
  const header: Partial<BinaryReport> = {
    format: 'elf',
    os: elfOs(head[7] ?? 0, interpreter, sections),
    arch,
    bits: is64 ? 64 : 32,
    linkage,
    ...(interpreter ? {interpreter} : {}),
  }
  if (linkage === 'dynamic') {
    const glibc = await requiredGlibc(file, fields, segments, sections, dynamic).catch(() => undefined)
    if (glibc) header.glibcRequired = glibc
  }
  return {header, facts: {elfType, sharedLibrary: elfType === ET_DYN && !interpreter && needsLibraries}}
}

async function readSegments(file: RandomAccessFile, header: ElfFields): Promise<ElfSegment[]> {
  const offset = header.word(header.is64 ? 32 : 28)
  const entrySize = header.u16(header.is64 ? 54 : 42)
  const count = header.u16(header.is64 ? 56 : 44)
  if (offset === 0 || entrySize === 0) return []
  const table = header.with(await file.read(offset, entrySize * count))
  const segments: ElfSegment[] = []
  for (let at = 0; at + entrySize <= table.buffer.length; at += entrySize) {
    segments.push(
      header.is64
        ? {type: table.u32(at), offset: table.word(at + 8), vaddr: table.word(at + 16), filesz: table.word(at + 32)}
        : {type: table.u32(at), offset: table.u32(at + 4), vaddr: table.u32(at + 8), filesz: table.u32(at + 16)},
    )
  }
  return segments
}

async function readSections(file: RandomAccessFile, header: ElfFields): Promise<ElfSection[]> {
  const offset = header.word(header.is64 ? 40 : 32)
  const entrySize = header.u16(header.is64 ? 58 : 46)
  const count = header.u16(header.is64 ? 60 : 48)
  const namesIndex = header.u16(header.is64 ? 62 : 50)
  if (offset === 0 || entrySize === 0 || count === 0) return []
  const table = header.with(await file.read(offset, entrySize * count))
  const raw: Array<ElfSection & {nameOffset: number}> = []
  for (let at = 0; at + entrySize <= table.buffer.length; at += entrySize) {
    raw.push(
      header.is64
        ? {name: '', nameOffset: table.u32(at), type: table.u32(at + 4), offset: table.word(at + 24), size: table.word(at + 32), link: table.u32(at + 40), info: table.u32(at + 44)}
        : {name: '', nameOffset: table.u32(at), type: table.u32(at + 4), offset: table.u32(at + 16), size: table.u32(at + 20), link: table.u32(at + 24), info: table.u32(at + 28)},
    )
  }
  const namesSection = raw[namesIndex]
  const names = namesSection ? await file.read(namesSection.offset, namesSection.size) : Buffer.alloc(0)
  return raw.map(({nameOffset, ...section}) => ({...section, name: cString(names, nameOffset)}))
}

async function readInterpreter(file: RandomAccessFile, segments: ElfSegment[]): Promise<string | undefined> {
  const interp = segments.find((segment) => segment.type === PT_INTERP)
  if (!interp) return undefined
  return cString(await file.read(interp.offset, Math.min(interp.filesz, 4096)), 0) || undefined
}

function elfOs(osabi: number, interpreter: string | undefined, sections: ElfSection[]): string {
  if (ELF_OSABI[osabi]) return ELF_OSABI[osabi]
  // System V ABI: the loader's path or an OS note tells the BSDs and Solaris apart from Linux.
  if (interpreter?.startsWith('/libexec/ld-elf')) return 'freebsd'
  if (interpreter === '/usr/libexec/ld.so' || sections.some((s) => s.name === '.note.openbsd.ident')) return 'openbsd'
  if (interpreter === '/usr/libexec/ld.elf_so' || sections.some((s) => s.name === '.note.netbsd.ident')) return 'netbsd'
  if (interpreter && /\/ld\.so\.1$/.test(interpreter) && !interpreter.includes('musl')) return 'sunos'
  return 'linux'
}


/** The dynamic segment's tags and values (the first value of a repeated tag such as DT_NEEDED). */
async function readDynamic(file: RandomAccessFile, header: ElfFields, segments: ElfSegment[]): Promise<Map<number, number>> {
  const entries = new Map<number, number>()
  const segment = segments.find((s) => s.type === PT_DYNAMIC)
  if (!segment) return entries
  const dynamic = header.with(await file.read(segment.offset, segment.filesz))
  const entrySize = dynamic.is64 ? 16 : 8
  for (let at = 0; at + entrySize <= dynamic.buffer.length; at += entrySize) {
    const tag = dynamic.word(at)
    if (tag === DT_NULL) break
    if (!entries.has(tag)) entries.set(tag, dynamic.word(at + entrySize / 2))
  }
  return entries
}

// Preflight of a driver binary: can this file run as a cluster driver on this machine, and if not, why?
// Used by `ke driver check FILE` and by the launcher when a driver fails to start, so that the user
// gets "built for darwin, download the linux-amd64 build" instead of a spawn error.
// It reads the file only (headers, a few tables, one scan for a marker string); it never runs it.
import {constants as fsConstants, type Stats} from 'node:fs'
import {access, lstat, open, readlink, stat, type FileHandle} from 'node:fs/promises'
import {delimiter, isAbsolute, join, resolve} from 'node:path'

export type BinaryFormat = 'elf' | 'mach-o' | 'pe' | 'script' | 'unknown'

export type BinaryProblemCode =
  | 'MISSING'
  | 'NOT_A_FILE'
  | 'NOT_EXECUTABLE'
  | 'WRONG_OS'
  | 'WRONG_ARCH'
  | 'NOT_A_PROGRAM'
  | 'GLIBC_TOO_NEW'
  | 'INTERPRETER_MISSING'
  | 'DOCKER_MACHINE_PLUGIN'

export interface BinaryProblem {
  code: BinaryProblemCode
  /** One line naming the path and what is wrong. */
  message: string
  /** What to do about it. */
  hint: string
}

/** The machine a binary is checked against. Tests pass another one to simulate it. */
export interface HostInfo {
  /** node's names: 'linux', 'darwin', 'win32', 'freebsd', ... */
  os: string
  /** node's names: 'x64', 'arm64', 'ia32', 'arm', ... */
  arch: string
  /** glibc version of the running system; undefined without glibc (musl, macOS). */
  glibc?: string
}

export interface ShebangInfo {
  /** The `#!` line without `#!`, as written (a trailing `\r` shows Windows line endings). */
  line: string
  interpreter: string
  argument?: string
  /** For `#!/usr/bin/env PROGRAM`: the program env looks up on PATH. */
  program?: string
  /** Where the program was found on PATH. */
  programPath?: string
  /** The interpreter (and, through env, the program) exists. */
  exists: boolean
}

export interface BinaryReport {
  path: string
  exists: boolean
  isFile: boolean
  /** The exec bit is set for the current user. */
  executable: boolean
  format: BinaryFormat
  os?: string
  arch?: string
  bits?: 32 | 64
  linkage?: 'static' | 'dynamic'
  /** The program loader a dynamic binary names (PT_INTERP, LC_LOAD_DYLINKER). */
  interpreter?: string
  /** Highest GLIBC_x.y symbol version the binary needs. */
  glibcRequired?: string
  glibcInstalled?: string
  shebang?: ShebangInfo
  /** The file carries "This is a Docker Machine plugin binary": a node driver, not a cluster driver. */
  dockerMachinePlugin: boolean
  host: HostInfo
  canRun: boolean
  problems: BinaryProblem[]
}

/** Every libmachine plugin prints this when started directly; Go keeps the literal intact in the binary. */
export const DOCKER_MACHINE_MARKER = 'This is a Docker Machine plugin binary'

/** The machine ke runs on. */
export function currentHost(): HostInfo {
  return resolveHost({})
}

export async function checkBinary(path: string, host: Partial<HostInfo> = {}): Promise<BinaryReport> {
  const machine = resolveHost(host)
  const report = emptyReport(path, machine)
  const file = await statFile(path)
  if (!file.stats) {
    report.problems.push(await missingProblem(path))
    return finish(report)
  }
  report.exists = true
  report.isFile = file.stats.isFile()
  if (!report.isFile) {
    report.problems.push(notAFileProblem(path, file.stats))
    return finish(report)
  }
  report.executable = await isExecutable(path)
  const content = await inspectContent(path)
  Object.assign(report, content.header)
  if (content.facts.machOSlices?.includes(machine.arch)) report.arch = machine.arch
  report.dockerMachinePlugin = content.dockerMachinePlugin
  if (report.format === 'elf' && report.os === 'linux' && report.linkage === 'dynamic') report.glibcInstalled = machine.glibc
  if (report.format === 'script' && report.shebang) report.shebang = await resolveShebang(report.shebang)
  report.problems.push(...(await findProblems(report, content.facts, file.stats, machine)))
  return finish(report)
}

/** The problem the launcher shows when a driver fails to start: the one to fix first. */
export function describeBinaryProblem(report: BinaryReport): {message: string; hint: string} | undefined {
  const [first, ...others] = [...report.problems].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code))
  if (!first) return undefined
  if (others.length === 0) return {message: first.message, hint: first.hint}
  const more = others.length === 1 ? '1 more problem' : `${others.length} more problems`
  return {message: first.message, hint: `${first.hint} (${more}: ke driver check ${shellQuote(report.path)})`}
}

// A file that must be replaced matters more than one that must be chmod-ed; a file that is not a
// cluster driver at all matters more than the machine it was built for.
const PRIORITY: readonly BinaryProblemCode[] = [
  'MISSING',
  'NOT_A_FILE',
  'DOCKER_MACHINE_PLUGIN',
  'NOT_A_PROGRAM',
  'WRONG_OS',
  'WRONG_ARCH',
  'INTERPRETER_MISSING',
  'GLIBC_TOO_NEW',
  'NOT_EXECUTABLE',
]

// ---------------------------------------------------------------------------------------------------
// Host

function resolveHost(host: Partial<HostInfo>): HostInfo {
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

function emptyReport(path: string, host: HostInfo): BinaryReport {
  return {
    path,
    exists: false,
    isFile: false,
    executable: false,
    format: 'unknown',
    dockerMachinePlugin: false,
    host,
    canRun: false,
    problems: [],
  }
}

// Reports are printed as JSON: the fields a reader looks for first come first, absent ones are left out.
const REPORT_ORDER: ReadonlyArray<keyof BinaryReport> = [
  'path', 'exists', 'isFile', 'executable', 'format', 'os', 'arch', 'bits', 'linkage', 'interpreter',
  'glibcRequired', 'glibcInstalled', 'shebang', 'dockerMachinePlugin', 'canRun', 'problems', 'host',
]

function finish(report: BinaryReport): BinaryReport {
  report.canRun = report.problems.length === 0
  const ordered: Record<string, unknown> = {}
  for (const key of REPORT_ORDER) if (report[key] !== undefined) ordered[key] = report[key]
  return ordered as unknown as BinaryReport
}

// ---------------------------------------------------------------------------------------------------
// The file itself

async function statFile(path: string): Promise<{stats?: Stats}> {
  try {
    return {stats: await stat(path)}
  } catch {
    return {}
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK)
    return true
  } catch {
    return false
  }
}

async function exists(path: string): Promise<boolean> {
  return (await statFile(path)).stats !== undefined
}

/** What the header says beyond the report's fields; it only feeds problem detection. */
interface HeaderFacts {
  /** ELF e_type: executable, shared object, relocatable object, core. */
  elfType?: number
  /** An ELF shared object that is a library (.so), not a position-independent program. */
  sharedLibrary?: boolean
  /** Mach-O filetype: executable, dylib, object... */
  machOFileType?: number
  /** Every architecture a universal Mach-O carries. */
  machOSlices?: string[]
  /** For a file that is no program: what it looks like (gzip, html, text...). */
  unknownKind?: string
}

interface ParsedHeader {
  header: Partial<BinaryReport>
  facts: HeaderFacts
}

interface ContentFindings extends ParsedHeader {
  dockerMachinePlugin: boolean
}

async function inspectContent(path: string): Promise<ContentFindings> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch {
    // Execute-only files (mode 0111) still run; there is just nothing to inspect.
    return {header: {}, facts: {}, dockerMachinePlugin: false}
  }
  try {
    const file = await RandomAccessFile.of(handle)
    const head = await file.read(0, HEAD_SIZE)
    const parsed = await parseHeader(file, head)
    return {...parsed, dockerMachinePlugin: await fileContains(handle, Buffer.from(DOCKER_MACHINE_MARKER))}
  } finally {
    await handle.close()
  }
}

const HEAD_SIZE = 4096

async function parseHeader(file: RandomAccessFile, head: Buffer): Promise<ParsedHeader> {
  if (isElf(head)) return parseElf(file, head)
  const macho = parseMachO(head)
  if (macho) return macho
  if (isPe(head)) return {header: parsePe(head), facts: {}}
  if (head.toString('latin1', 0, 2) === '#!') return {header: {format: 'script', shebang: parseShebangLine(head)}, facts: {}}
  return {header: {format: 'unknown'}, facts: {unknownKind: guessContentKind(head)}}
}

/** Reads ranges of a file without loading it: drivers are 50+ MB and the tables we need are small. */
class RandomAccessFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async of(handle: FileHandle): Promise<RandomAccessFile> {
    return new RandomAccessFile(handle, (await handle.stat()).size)
  }

  /** Up to `length` bytes at `offset`, fewer at the end of the file; a corrupt header cannot make it allocate much. */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset, MAX_TABLE_SIZE))
    if (!Number.isFinite(offset) || offset < 0 || wanted === 0) return Buffer.alloc(0)
    const buffer = Buffer.alloc(wanted)
    const {bytesRead} = await this.handle.read(buffer, 0, wanted, offset)
    return buffer.subarray(0, bytesRead)
  }
}

const MAX_TABLE_SIZE = 32 * 1024 * 1024

const SCAN_CHUNK = 4 * 1024 * 1024

/** Whether the file contains `needle`, read in large chunks with an overlap so a match across two chunks is found. */
async function fileContains(handle: FileHandle, needle: Buffer): Promise<boolean> {
  const overlap = needle.length - 1
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK + overlap)
  let carried = 0
  let position = 0
  for (;;) {
    const {bytesRead} = await handle.read(buffer, carried, SCAN_CHUNK, position)
    if (bytesRead === 0) return false
    const filled = carried + bytesRead
    if (buffer.subarray(0, filled).includes(needle)) return true
    position += bytesRead
    carried = Math.min(overlap, filled)
    buffer.copyWithin(0, filled - carried, filled)
  }
}

// ---------------------------------------------------------------------------------------------------
// ELF

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46])
const ET_REL = 1
const ET_DYN = 3
const ET_CORE = 4
const PT_LOAD = 1
const PT_DYNAMIC = 2
const PT_INTERP = 3
const SHT_GNU_VERNEED = 0x6ffffffe
const DT_NULL = 0
const DT_NEEDED = 1
const DT_STRTAB = 5
const DT_STRSZ = 10
const DT_VERNEED = 0x6ffffffe
const DT_VERNEEDNUM = 0x6fffffff

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

function isElf(head: Buffer): boolean {
  return head.length >= 52 && head.subarray(0, 4).equals(ELF_MAGIC)
}

/** Reads ELF fields in the file's own width and byte order. */
class ElfFields {
  constructor(
    readonly buffer: Buffer,
    readonly is64: boolean,
    readonly little: boolean,
  ) {}

  u16(offset: number): number {
    return this.little ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset)
  }

  u32(offset: number): number {
    return this.little ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset)
  }

  /** An address, offset or size: 4 or 8 bytes. Files are far below 2^53 bytes. */
  word(offset: number): number {
    if (!this.is64) return this.u32(offset)
    return Number(this.little ? this.buffer.readBigUInt64LE(offset) : this.buffer.readBigUInt64BE(offset))
  }

  with(buffer: Buffer): ElfFields {
    return new ElfFields(buffer, this.is64, this.little)
  }
}

interface ElfSegment {
  type: number
  offset: number
  vaddr: number
  filesz: number
}

interface ElfSection {
  name: string
  type: number
  offset: number
  size: number
  link: number
  info: number
}

async function parseElf(file: RandomAccessFile, head: Buffer): Promise<ParsedHeader> {
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

/**
 * The highest GLIBC_x.y the binary asks for, from the version-needed table (.gnu.version_r).
 * Binaries stripped of section headers still have it through the dynamic segment (DT_VERNEED).
 */
async function requiredGlibc(
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

function cString(buffer: Buffer, offset: number): string {
  if (offset >= buffer.length) return ''
  const end = buffer.indexOf(0, offset)
  return buffer.toString('latin1', offset, end === -1 ? buffer.length : end)
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

// ---------------------------------------------------------------------------------------------------
// Mach-O

const MH_MAGIC_32 = 0xfeedface
const MH_MAGIC_64 = 0xfeedfacf
const FAT_MAGIC = 0xcafebabe
const FAT_MAGIC_64 = 0xcafebabf
const MH_EXECUTE = 2
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
function parseMachO(head: Buffer): ParsedHeader | undefined {
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

// ---------------------------------------------------------------------------------------------------
// PE (a Windows .exe downloaded by mistake)

const PE_MACHINES: Record<number, string> = {0x14c: 'ia32', 0x8664: 'x64', 0x1c0: 'arm', 0x1c4: 'arm', 0xaa64: 'arm64'}

function isPe(head: Buffer): boolean {
  if (head.length < 64 || head.toString('latin1', 0, 2) !== 'MZ') return false
  const pe = head.readUInt32LE(0x3c)
  return pe + 6 <= head.length && head.toString('latin1', pe, pe + 4) === 'PE\0\0'
}

function parsePe(head: Buffer): Partial<BinaryReport> {
  const machine = head.readUInt16LE(head.readUInt32LE(0x3c) + 4)
  const arch = PE_MACHINES[machine] ?? `pe-machine-${machine}`
  return {format: 'pe', os: 'win32', arch, bits: arch === 'x64' || arch === 'arm64' ? 64 : 32}
}

// ---------------------------------------------------------------------------------------------------
// Scripts

// Linux reads at most this much of a #! line.
const SHEBANG_LIMIT = 256

function parseShebangLine(head: Buffer): ShebangInfo {
  const end = head.indexOf(0x0a)
  const line = head.toString('utf8', 2, end === -1 ? Math.min(head.length, SHEBANG_LIMIT) : Math.min(end, SHEBANG_LIMIT))
  // The kernel splits at the first blank only: everything after it is one argument (and a \r stays in it).
  const match = /^[ \t]*([^ \t]*)(?:[ \t]+(.*?))?[ \t]*$/.exec(line)
  const interpreter = match?.[1] ?? ''
  const argument = match?.[2] || undefined
  const shebang: ShebangInfo = {line, interpreter, exists: false}
  if (argument) shebang.argument = argument
  const program = isEnv(interpreter) ? envProgram(argument) : undefined
  if (program) shebang.program = program
  return shebang
}

function isEnv(interpreter: string): boolean {
  return interpreter.replace(/\r$/, '').endsWith('/env')
}

/** `env -S node --flag`, `env FOO=1 python3`: the first word that is neither an option nor an assignment. */
function envProgram(argument: string | undefined): string | undefined {
  return argument?.split(/[ \t]+/).find((word) => word !== '' && !word.startsWith('-') && !word.includes('='))
}

async function resolveShebang(shebang: ShebangInfo): Promise<ShebangInfo> {
  const resolved = {...shebang}
  resolved.exists = shebang.interpreter !== '' && (await exists(shebang.interpreter))
  if (resolved.exists && shebang.program) {
    const programPath = await findOnPath(shebang.program)
    if (programPath) resolved.programPath = programPath
    resolved.exists = programPath !== undefined
  }
  return resolved
}

async function findOnPath(program: string): Promise<string | undefined> {
  if (program.includes('/')) return (await exists(program)) ? program : undefined
  for (const directory of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(directory, program)
    if (await isExecutable(candidate)) return candidate
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------
// Neither a binary nor a script: say what it looks like, since the fix depends on it.

function guessContentKind(head: Buffer): string {
  if (head.length === 0) return 'empty'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.toString('latin1', 0, 4) === 'PK\x03\x04') return 'zip'
  if (head.toString('latin1', 0, 6) === '\xfd7zXZ\x00') return 'xz'
  if (head.toString('latin1', 0, 3) === 'BZh') return 'bzip2'
  if (head.toString('latin1', 257, 262) === 'ustar') return 'tar'
  const text = head.toString('utf8', 0, 512).trimStart().toLowerCase()
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html'
  if (text.startsWith('<?xml') || text.startsWith('<error')) return 'xml'
  if (text.startsWith('{')) return 'json'
  return looksLikeText(head) ? 'text' : 'data'
}

function looksLikeText(head: Buffer): boolean {
  return !head.subarray(0, 512).some((byte) => byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d))
}

// ---------------------------------------------------------------------------------------------------
// Problems

async function findProblems(report: BinaryReport, facts: HeaderFacts, stats: Stats, host: HostInfo): Promise<BinaryProblem[]> {
  const problems: BinaryProblem[] = []
  if (report.dockerMachinePlugin) problems.push(dockerMachinePluginProblem(report.path))
  if (facts.unknownKind) problems.push(notAProgramProblem(report.path, facts.unknownKind, host))
  const notRunnable = notRunnableKind(facts)
  if (notRunnable) problems.push(notAProgramKindProblem(report.path, notRunnable))
  const platform = platformProblems(report, facts, host)
  problems.push(...platform)
  if (platform.length === 0) problems.push(...(await loaderProblems(report, host)))
  if (report.format === 'script' && report.shebang && !report.shebang.exists) problems.push(scriptInterpreterProblem(report.path, report.shebang))
  if (!report.executable) problems.push(notExecutableProblem(report.path, stats))
  return problems
}

function notRunnableKind(facts: HeaderFacts): string | undefined {
  if (facts.elfType === ET_REL) return 'an object file (.o), not a linked program'
  if (facts.elfType === ET_CORE) return 'a core dump, not a program'
  if (facts.sharedLibrary) return 'a shared library (.so), not a program'
  if (facts.machOFileType !== undefined && facts.machOFileType !== MH_EXECUTE) return 'a Mach-O library or object file, not a program'
  return undefined
}

function platformProblems(report: BinaryReport, facts: HeaderFacts, host: HostInfo): BinaryProblem[] {
  if (!report.os || !report.arch) return []
  const problems: BinaryProblem[] = []
  if (report.os !== host.os) problems.push(wrongOsProblem(report, host))
  if (!archRunsOn(report.arch, facts, host)) problems.push(wrongArchProblem(report, facts, host))
  return problems
}

function archRunsOn(arch: string, facts: HeaderFacts, host: HostInfo): boolean {
  const slices = facts.machOSlices ?? [arch]
  // 64-bit x86 Linux kernels run 32-bit x86 programs; a missing 32-bit loader is caught separately.
  return slices.some((arch) => arch === host.arch || (arch === 'ia32' && host.arch === 'x64' && host.os === 'linux'))
}

async function loaderProblems(report: BinaryReport, host: HostInfo): Promise<BinaryProblem[]> {
  if (report.format !== 'elf' || report.linkage !== 'dynamic' || !report.interpreter) return []
  if (!(await exists(report.interpreter))) return [missingLoaderProblem(report, host)]
  if (report.glibcRequired && host.glibc && compareVersions(report.glibcRequired, host.glibc) > 0) {
    return [glibcTooNewProblem(report.path, report.glibcRequired, host.glibc)]
  }
  return []
}

async function missingProblem(path: string): Promise<BinaryProblem> {
  const link = await readlink(path).catch(() => undefined)
  if (link !== undefined && (await lstat(path).catch(() => undefined))) {
    return {
      code: 'MISSING',
      message: `${path} is a symbolic link to ${link}, which does not exist`,
      hint: `point the link at the driver binary, or use the binary's own path`,
    }
  }
  const where = isAbsolute(path) ? '' : ` (it resolves to ${resolve(path)})`
  return {
    code: 'MISSING',
    message: `${path} does not exist`,
    hint: `check the path${where}, or download the driver again`,
  }
}

function notAFileProblem(path: string, stats: Stats): BinaryProblem {
  if (stats.isDirectory()) {
    return {
      code: 'NOT_A_FILE',
      message: `${path} is a directory, not a driver binary`,
      hint: `use the kontainer-engine-driver-* file inside it`,
    }
  }
  return {
    code: 'NOT_A_FILE',
    message: `${path} is not a regular file (a device, socket or pipe)`,
    hint: `use the path of the driver binary itself`,
  }
}

function notExecutableProblem(path: string, stats: Stats): BinaryProblem {
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0')
  return {
    code: 'NOT_EXECUTABLE',
    message: `${path} is not executable (mode ${mode})`,
    hint: `chmod +x ${shellQuote(path)}`,
  }
}

function wrongOsProblem(report: BinaryReport, host: HostInfo): BinaryProblem {
  return {
    code: 'WRONG_OS',
    message: `${report.path} is ${formatName(report)} built for ${report.os}, not for this ${host.os} machine`,
    hint: `download the ${downloadName(host)} build of the driver`,
  }
}

function wrongArchProblem(report: BinaryReport, facts: HeaderFacts, host: HostInfo): BinaryProblem {
  const built = facts.machOSlices?.join(', ') ?? report.arch
  return {
    code: 'WRONG_ARCH',
    message: `${report.path} is built for ${built} CPUs, not for this ${host.arch} machine`,
    hint: `download the ${downloadName(host)} build of the driver`,
  }
}

function notAProgramProblem(path: string, kind: string, host: HostInfo): BinaryProblem {
  const download = `download the ${downloadName(host)} build of the driver`
  const archive = (how: string): BinaryProblem => ({
    code: 'NOT_A_PROGRAM',
    message: `${path} is a ${kind} archive, not a program`,
    hint: `unpack it (${how}) and use the kontainer-engine-driver-* file inside`,
  })
  switch (kind) {
    case 'empty':
      return {code: 'NOT_A_PROGRAM', message: `${path} is empty`, hint: `the download failed: ${download} again`}
    case 'gzip':
      return archive(`tar -xzf ${shellQuote(path)}`)
    case 'xz':
      return archive(`tar -xJf ${shellQuote(path)}`)
    case 'bzip2':
      return archive(`tar -xjf ${shellQuote(path)}`)
    case 'tar':
      return archive(`tar -xf ${shellQuote(path)}`)
    case 'zip':
      return archive(`unzip ${shellQuote(path)}`)
    case 'html':
    case 'xml':
    case 'json':
      return {
        code: 'NOT_A_PROGRAM',
        message: `${path} is a ${kind.toUpperCase()} document (an error page from the download?), not a program`,
        hint: `check the download URL and ${download}`,
      }
    case 'text':
      return {
        code: 'NOT_A_PROGRAM',
        message: `${path} is a text file without a #! line, not a program`,
        hint: `use the driver binary, or start the script with a #! line such as #!/bin/sh`,
      }
    default:
      return {
        code: 'NOT_A_PROGRAM',
        message: `${path} is not a program: no ELF, Mach-O or #! header`,
        hint: download,
      }
  }
}

function notAProgramKindProblem(path: string, kind: string): BinaryProblem {
  return {code: 'NOT_A_PROGRAM', message: `${path} is ${kind}`, hint: `use the driver's executable, kontainer-engine-driver-*`}
}

function missingLoaderProblem(report: BinaryReport, host: HostInfo): BinaryProblem {
  const loader = report.interpreter!
  const message = `${report.path} needs the program loader ${loader}, which this machine does not have`
  if (loader.includes('musl')) {
    return {code: 'INTERPRETER_MISSING', message, hint: `it is built for musl (Alpine): rebuild it with CGO_ENABLED=0 or download a static ${downloadName(host)} build`}
  }
  if (report.bits === 32 && host.arch === 'x64') {
    return {code: 'INTERPRETER_MISSING', message, hint: `it is a 32-bit program: download the ${downloadName(host)} build, or install the 32-bit C library`}
  }
  if (!host.glibc) {
    return {code: 'INTERPRETER_MISSING', message, hint: `it is built for glibc, which this machine lacks: rebuild it with CGO_ENABLED=0 (a static binary) or install glibc compatibility (gcompat on Alpine)`}
  }
  return {code: 'INTERPRETER_MISSING', message, hint: `rebuild it with CGO_ENABLED=0 (a static binary) or install the package that provides ${loader}`}
}

function glibcTooNewProblem(path: string, required: string, installed: string): BinaryProblem {
  return {
    code: 'GLIBC_TOO_NEW',
    message: `${path} needs glibc ${required}, but this machine has glibc ${installed}`,
    hint: `rebuild it with CGO_ENABLED=0 or on a system with glibc ${installed} or older; Rancher hangs at 'Activating' on such a binary`,
  }
}

function scriptInterpreterProblem(path: string, shebang: ShebangInfo): BinaryProblem {
  if (/\r$/.test(shebang.line)) {
    return {
      code: 'INTERPRETER_MISSING',
      message: `${path} has Windows line endings, so its #! line names '${shebang.line.trimStart().replace(/\r$/, '\\r')}'`,
      hint: `convert it: sed -i 's/\\r$//' ${shellQuote(path)}`,
    }
  }
  if (shebang.interpreter === '') {
    return {code: 'INTERPRETER_MISSING', message: `${path} has an empty #! line`, hint: `name the interpreter on its first line, e.g. #!/bin/sh`}
  }
  const missing = shebang.program && !shebang.programPath ? `${shebang.program} (looked up on PATH by ${shebang.interpreter})` : shebang.interpreter
  return {
    code: 'INTERPRETER_MISSING',
    message: `${path} is a script for ${missing}, which is not installed`,
    hint: `install ${shebang.program ?? shebang.interpreter}, or change the #! line of ${path}`,
  }
}

function dockerMachinePluginProblem(path: string): BinaryProblem {
  return {
    code: 'DOCKER_MACHINE_PLUGIN',
    message: `${path} is a docker-machine driver, not a cluster driver`,
    hint: `use it with docker-machine or as a Rancher node driver; ke runs cluster drivers (kontainer-engine-driver-*)`,
  }
}

function formatName(report: BinaryReport): string {
  const names: Record<BinaryFormat, string> = {elf: 'an ELF binary', 'mach-o': 'a Mach-O binary', pe: 'a Windows (PE) program', script: 'a script', unknown: 'a file'}
  return `${names[report.format]} (${report.arch})`
}

// Driver releases are named the Go way: kontainer-engine-driver-lke-v0.0.13-linux-amd64.
const GO_OS: Record<string, string> = {win32: 'windows', sunos: 'solaris'}
const GO_ARCH: Record<string, string> = {x64: 'amd64', ia32: '386', ppc64: 'ppc64le'}

function downloadName(host: HostInfo): string {
  return `${GO_OS[host.os] ?? host.os}-${GO_ARCH[host.arch] ?? host.arch}`
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

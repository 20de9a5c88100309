import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, appendFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {checkBinary, compareVersions, describeBinaryProblem, DOCKER_MACHINE_MARKER, type BinaryReport} from '../../../src/driver/binary/index.js'

// ---------------------------------------------------------------------------------------------------
// Fixtures: real binaries of this machine where they exist, crafted headers for other machines.

let dir: string
let staticGoBinary: string

/** A Go program without cgo: the static binary most cluster drivers are. Built once, cached by Go. */
function buildStaticGoBinary(into: string): string {
  const source = join(into, 'go-src')
  mkdirSync(source)
  writeFileSync(join(source, 'main.go'), 'package main\n\nfunc main() { println("driver") }\n')
  const output = join(into, 'static-driver')
  execFileSync('go', ['build', '-o', output, 'main.go'], {
    cwd: source,
    env: {...process.env, GO111MODULE: 'off', CGO_ENABLED: '0', GOFLAGS: ''},
    stdio: 'pipe',
  })
  return output
}

function file(name: string, content: string | Buffer, mode = 0o755): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  chmodSync(path, mode)
  return path
}

function codes(report: BinaryReport): string[] {
  return report.problems.map((problem) => problem.code)
}

function problem(report: BinaryReport, code: string) {
  const found = report.problems.find((p) => p.code === code)
  assert.ok(found, `expected a ${code} problem, got ${JSON.stringify(report.problems)}`)
  return found
}

const EM_386 = 3
const EM_MIPS = 8
const EM_X86_64 = 62
const EM_AARCH64 = 183

interface ElfSpec {
  bits?: 32 | 64
  little?: boolean
  machine: number
  /** 2 executable, 3 shared/PIE, 1 relocatable object. */
  type?: number
  osabi?: number
  interpreter?: string
  /** GLIBC_x.y versions the binary needs, in .gnu.version_r. */
  glibc?: string[]
  /** false: stripped of section headers, so the versions are reachable only through the dynamic segment. */
  sectionHeaders?: boolean
  /** Add DT_NEEDED libc.so.6 (needs `glibc`), as every dynamically linked file has. */
  needsLibc?: boolean
}

/**
 * A minimal ELF file with real program headers, .dynstr, .gnu.version_r, a dynamic segment and
 * section headers: enough for a header reader, not for a kernel.
 */
function craftElf(spec: ElfSpec): Buffer {
  const is64 = (spec.bits ?? 64) === 64
  const little = spec.little ?? true
  const base = 0x400000
  const sizes = is64 ? {eh: 64, ph: 56, sh: 64, dyn: 16} : {eh: 52, ph: 32, sh: 40, dyn: 8}
  const glibc = spec.glibc ?? []

  const dynstrParts = ['', 'libc.so.6', ...glibc.map((v) => `GLIBC_${v}`), 'GLIBC_PRIVATE', '']
  const dynstr = Buffer.from(dynstrParts.join('\0'), 'latin1')
  const nameOffset = (name: string): number => dynstr.indexOf(Buffer.from(`\0${name}\0`, 'latin1')) + 1
  const auxNames = [...glibc.map((v) => `GLIBC_${v}`), 'GLIBC_PRIVATE']
  const shstrtab = Buffer.from('\0.interp\0.dynstr\0.gnu.version_r\0.dynamic\0.shstrtab\0', 'latin1')
  const shName = (name: string): number => shstrtab.indexOf(Buffer.from(`\0${name}\0`, 'latin1')) + 1
  const interp = spec.interpreter ? Buffer.from(`${spec.interpreter}\0`, 'latin1') : Buffer.alloc(0)
  const hasVersions = glibc.length > 0

  const align = (value: number, to: number): number => Math.ceil(value / to) * to
  const phnum = 1 + (spec.interpreter ? 1 : 0) + (hasVersions ? 1 : 0)
  const phoff = sizes.eh
  const interpOff = phoff + phnum * sizes.ph
  const dynstrOff = interpOff + interp.length
  const verneedOff = align(dynstrOff + dynstr.length, 8)
  const verneedSize = hasVersions ? 16 + 16 * auxNames.length : 0
  const dynamicOff = align(verneedOff + verneedSize, 8)
  const dynamic: Array<[number, number]> = [
    ...(spec.needsLibc ? [[1, 0] as [number, number]] : []),
    [5, base + dynstrOff],
    [10, dynstr.length],
    [0x6ffffffe, base + verneedOff],
    [0x6fffffff, 1],
    [0, 0],
  ]
  const dynamicSize = hasVersions ? dynamic.length * sizes.dyn : 0
  const shstrOff = dynamicOff + dynamicSize
  const withSections = spec.sectionHeaders ?? true
  const shoff = align(shstrOff + shstrtab.length, 8)
  const sections = [
    {name: 0, type: 0, offset: 0, size: 0, link: 0, info: 0},
    {name: shName('.interp'), type: 1, offset: interpOff, size: interp.length, link: 0, info: 0},
    {name: shName('.dynstr'), type: 3, offset: dynstrOff, size: dynstr.length, link: 0, info: 0},
    // sh_link: the string table; sh_info: the number of Verneed entries.
    {name: shName('.gnu.version_r'), type: 0x6ffffffe, offset: verneedOff, size: verneedSize, link: 2, info: 1},
    {name: shName('.dynamic'), type: 6, offset: dynamicOff, size: dynamicSize, link: 2, info: 0},
    {name: shName('.shstrtab'), type: 3, offset: shstrOff, size: shstrtab.length, link: 0, info: 0},
  ].filter((section) => hasVersions || (section.type !== 0x6ffffffe && section.type !== 6))
  const total = withSections ? shoff + sections.length * sizes.sh : shoff

  const out = Buffer.alloc(total)
  const u16 = (at: number, v: number): number => (little ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at))
  const u32 = (at: number, v: number): number => (little ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at))
  const word = (at: number, v: number): unknown =>
    is64 ? (little ? out.writeBigUInt64LE(BigInt(v), at) : out.writeBigUInt64BE(BigInt(v), at)) : u32(at, v)

  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1, spec.osabi ?? 0])
  u16(16, spec.type ?? 2)
  u16(18, spec.machine)
  u32(20, 1)
  const f = is64
    ? {entry: 24, phoff: 32, shoff: 40, ehsize: 52, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62}
    : {entry: 24, phoff: 28, shoff: 32, ehsize: 40, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50}
  word(f.entry, base)
  word(f.phoff, phoff)
  word(f.shoff, withSections ? shoff : 0)
  u16(f.ehsize, sizes.eh)
  u16(f.phentsize, sizes.ph)
  u16(f.phnum, phnum)
  u16(f.shentsize, sizes.sh)
  u16(f.shnum, withSections ? sections.length : 0)
  u16(f.shstrndx, withSections ? sections.length - 1 : 0)

  // Program headers: one load segment maps the whole file at `base`.
  const segments = [{type: 1, offset: 0, size: total}]
  if (spec.interpreter) segments.push({type: 3, offset: interpOff, size: interp.length})
  if (hasVersions) segments.push({type: 2, offset: dynamicOff, size: dynamicSize})
  segments.forEach((segment, i) => {
    const at = phoff + i * sizes.ph
    u32(at, segment.type)
    if (is64) {
      word(at + 8, segment.offset)
      word(at + 16, base + segment.offset)
      word(at + 32, segment.size)
      word(at + 40, segment.size)
    } else {
      u32(at + 4, segment.offset)
      u32(at + 8, base + segment.offset)
      u32(at + 16, segment.size)
      u32(at + 20, segment.size)
    }
  })

  interp.copy(out, interpOff)
  dynstr.copy(out, dynstrOff)
  if (hasVersions) {
    // One Verneed (libc.so.6) with one Vernaux per version.
    u16(verneedOff, 1)
    u16(verneedOff + 2, auxNames.length)
    u32(verneedOff + 4, nameOffset('libc.so.6'))
    u32(verneedOff + 8, 16)
    u32(verneedOff + 12, 0)
    auxNames.forEach((name, i) => {
      const at = verneedOff + 16 + i * 16
      u32(at + 8, nameOffset(name))
      u16(at + 6, i + 2)
      u32(at + 12, i === auxNames.length - 1 ? 0 : 16)
    })
    if (spec.needsLibc) dynamic[0]![1] = nameOffset('libc.so.6')
    dynamic.forEach(([tag, value], i) => {
      word(dynamicOff + i * sizes.dyn, tag)
      word(dynamicOff + i * sizes.dyn + sizes.dyn / 2, value)
    })
  }
  shstrtab.copy(out, shstrOff)
  if (withSections) {
    sections.forEach((section, i) => {
      const at = shoff + i * sizes.sh
      u32(at, section.name)
      u32(at + 4, section.type)
      if (is64) {
        word(at + 24, section.offset)
        word(at + 32, section.size)
        u32(at + 40, section.link)
        u32(at + 44, section.info)
      } else {
        u32(at + 16, section.offset)
        u32(at + 20, section.size)
        u32(at + 24, section.link)
        u32(at + 28, section.info)
      }
    })
  }
  return out
}

const CPU_X86_64 = 0x01000007
const CPU_ARM64 = 0x0100000c

/** A 64-bit little-endian Mach-O header: magic, CPU, MH_EXECUTE, no load commands. */
function craftMachO(cpu: number, fileType = 2): Buffer {
  const out = Buffer.alloc(32)
  out.writeUInt32LE(0xfeedfacf, 0)
  out.writeUInt32LE(cpu, 4)
  out.writeUInt32LE(fileType, 12)
  return out
}

/** A universal (fat) Mach-O header listing the given CPUs. */
function craftFatMachO(cpus: number[]): Buffer {
  const out = Buffer.alloc(8 + cpus.length * 20)
  out.writeUInt32BE(0xcafebabe, 0)
  out.writeUInt32BE(cpus.length, 4)
  cpus.forEach((cpu, i) => out.writeUInt32BE(cpu, 8 + i * 20))
  return out
}

/** A Windows PE header for x86-64: 'MZ', the PE offset at 0x3c, 'PE\0\0', machine 0x8664. */
function craftPe(): Buffer {
  const out = Buffer.alloc(0x100)
  out.write('MZ', 0, 'latin1')
  out.writeUInt32LE(0x80, 0x3c)
  out.write('PE\0\0', 0x80, 'latin1')
  out.writeUInt16LE(0x8664, 0x84)
  return out
}

const LINUX_X64 = {os: 'linux', arch: 'x64', glibc: '2.36'}
const LINUX_ARM64 = {os: 'linux', arch: 'arm64', glibc: '2.36'}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ke-binary-check-'))
  staticGoBinary = buildStaticGoBinary(dir)
})

after(() => rmSync(dir, {recursive: true, force: true}))

// ---------------------------------------------------------------------------------------------------

describe('checkBinary', () => {
  it('reports node\'s own binary as a dynamic ELF of this machine that can run, with its loader and glibc needs', async () => {
    // Given the running node executable, a dynamically linked program of this very machine
    // When it is checked against this machine
    const report = await checkBinary(process.execPath)

    // Then it is an ELF for this OS and CPU, dynamic, whose glibc need is met by the installed glibc
    assert.equal(report.format, 'elf')
    assert.equal(report.os, process.platform)
    assert.equal(report.arch, process.arch)
    assert.equal(report.bits, 64)
    assert.equal(report.linkage, 'dynamic')
    assert.match(report.interpreter ?? '', /^\/lib.*\/ld-linux[^/]*\.so\.\d$/)
    const installed = (process.report.getReport() as {header: {glibcVersionRuntime?: string}}).header.glibcVersionRuntime
    assert.equal(report.glibcInstalled, installed)
    assert.match(report.glibcRequired ?? '', /^2\.\d+(\.\d+)?$/)
    assert.ok(compareVersions(report.glibcRequired!, installed!) <= 0)
    assert.equal(report.executable, true)
    assert.equal(report.dockerMachinePlugin, false)
    assert.deepEqual(report.problems, [])
    assert.equal(report.canRun, true)
  })

  it('reports a Go binary built with CGO_ENABLED=0 as static, with no loader and no glibc requirement', async () => {
    // Given a Go program built without cgo, as most cluster drivers are
    // When it is checked
    const report = await checkBinary(staticGoBinary)

    // Then it is a static ELF of this machine that can run
    assert.equal(report.format, 'elf')
    assert.equal(report.os, 'linux')
    assert.equal(report.arch, process.arch)
    assert.equal(report.linkage, 'static')
    assert.equal(report.interpreter, undefined)
    assert.equal(report.glibcRequired, undefined)
    assert.equal(report.canRun, true)
  })

  it('reports a Mach-O file as built for darwin, not this linux machine, and says which build to download', async () => {
    // Given the header of a macOS arm64 executable
    const path = file('driver-darwin-arm64', craftMachO(CPU_ARM64))

    // When it is checked on a linux x64 machine
    const report = await checkBinary(path, LINUX_X64)

    // Then the OS and the CPU are both wrong, and the hint names the linux-amd64 build
    assert.equal(report.format, 'mach-o')
    assert.equal(report.os, 'darwin')
    assert.equal(report.arch, 'arm64')
    assert.equal(report.bits, 64)
    assert.deepEqual(codes(report), ['WRONG_OS', 'WRONG_ARCH'])
    assert.match(problem(report, 'WRONG_OS').message, /driver-darwin-arm64 is a Mach-O binary \(arm64\) built for darwin, not for this linux machine/)
    assert.equal(problem(report, 'WRONG_OS').hint, 'download the linux-amd64 build of the driver')
    assert.equal(report.canRun, false)
  })

  it('reports the slice of a universal Mach-O that this Mac would run', async () => {
    // Given a universal binary carrying x86-64 and arm64
    const path = file('driver-universal', craftFatMachO([CPU_X86_64, CPU_ARM64]))

    // When it is checked on an arm64 Mac
    const report = await checkBinary(path, {os: 'darwin', arch: 'arm64', glibc: undefined})

    // Then the arm64 slice is reported and nothing is wrong
    assert.equal(report.format, 'mach-o')
    assert.equal(report.arch, 'arm64')
    assert.deepEqual(report.problems, [])
  })

  it('reports an arm64 ELF as the wrong CPU on an x64 machine and as fine on an arm64 one', async () => {
    // Given a static linux arm64 executable (header only)
    const path = file('driver-linux-arm64', craftElf({machine: EM_AARCH64}))

    // When it is checked on an x64 and on an arm64 linux machine
    const onX64 = await checkBinary(path, LINUX_X64)
    const onArm64 = await checkBinary(path, LINUX_ARM64)

    // Then only the x64 machine gets WRONG_ARCH, with the amd64 download in the hint
    assert.equal(onX64.arch, 'arm64')
    assert.equal(onX64.os, 'linux')
    assert.equal(onX64.linkage, 'static')
    assert.deepEqual(codes(onX64), ['WRONG_ARCH'])
    assert.match(problem(onX64, 'WRONG_ARCH').message, /driver-linux-arm64 is built for arm64 CPUs, not for this x64 machine/)
    assert.equal(problem(onX64, 'WRONG_ARCH').hint, 'download the linux-amd64 build of the driver')
    assert.equal(onArm64.canRun, true)
  })

  it('names the arm64 build in the hint when an x64 driver is checked on an arm64 machine', async () => {
    // Given an x86-64 ELF
    const path = file('driver-linux-amd64', craftElf({machine: EM_X86_64}))

    // When it is checked on an arm64 machine
    const report = await checkBinary(path, LINUX_ARM64)

    // Then the hint names the linux-arm64 build
    assert.equal(problem(report, 'WRONG_ARCH').hint, 'download the linux-arm64 build of the driver')
  })

  it('reads the highest GLIBC version from .gnu.version_r of a 64-bit ELF, ignoring GLIBC_PRIVATE', async () => {
    // Given an x86-64 ELF needing GLIBC_2.2.5, 2.34 and 2.17, with an existing loader (node's own)
    const loader = (await checkBinary(process.execPath)).interpreter!
    const path = file('needs-2.34', craftElf({machine: EM_X86_64, interpreter: loader, glibc: ['2.2.5', '2.34', '2.17']}))

    // When it is checked on a machine with glibc 2.36
    const report = await checkBinary(path, LINUX_X64)

    // Then 2.34 is the requirement (numeric order, not text order) and it is met
    assert.equal(report.linkage, 'dynamic')
    assert.equal(report.interpreter, loader)
    assert.equal(report.glibcRequired, '2.34')
    assert.equal(report.glibcInstalled, '2.36')
    assert.deepEqual(report.problems, [])
  })

  it('reads the glibc requirement of a 32-bit big-endian ELF', async () => {
    // Given a 32-bit big-endian MIPS ELF needing GLIBC_2.28
    const path = file('driver-mips', craftElf({bits: 32, little: false, machine: EM_MIPS, interpreter: '/lib/ld.so.1', glibc: ['2.0', '2.28']}))

    // When it is checked on a simulated mips machine
    const report = await checkBinary(path, {os: 'linux', arch: 'mips', glibc: '2.36'})

    // Then width, byte order and versions are all read right
    assert.equal(report.bits, 32)
    assert.equal(report.arch, 'mips')
    assert.equal(report.interpreter, '/lib/ld.so.1')
    assert.equal(report.glibcRequired, '2.28')
  })

  it('finds the glibc requirement through the dynamic segment when section headers were stripped', async () => {
    // Given a 32-bit x86 ELF without section headers (sstrip-ed)
    const path = file('driver-stripped', craftElf({bits: 32, machine: EM_386, interpreter: '/lib/ld-linux.so.2', glibc: ['2.1.3', '2.33'], sectionHeaders: false}))

    // When it is checked
    const report = await checkBinary(path, LINUX_X64)

    // Then DT_VERNEED and DT_STRTAB lead to the same answer
    assert.equal(report.arch, 'ia32')
    assert.equal(report.glibcRequired, '2.33')
  })

  it('reports GLIBC_TOO_NEW when the binary needs a newer glibc than the machine has', async () => {
    // Given node's own binary, which needs a glibc 2.x newer than 2.17
    // When it is checked on a simulated machine with glibc 2.17
    const report = await checkBinary(process.execPath, {glibc: '2.17'})

    // Then the problem names both versions and says what to do, mentioning Rancher's symptom
    assert.deepEqual(codes(report), ['GLIBC_TOO_NEW'])
    const tooNew = problem(report, 'GLIBC_TOO_NEW')
    assert.equal(tooNew.message, `${process.execPath} needs glibc ${report.glibcRequired}, but this machine has glibc 2.17`)
    assert.match(tooNew.hint, /CGO_ENABLED=0/)
    assert.match(tooNew.hint, /Rancher hangs at 'Activating'/)
    assert.equal(report.glibcInstalled, '2.17')
    assert.equal(report.canRun, false)
  })

  it('reports a missing program loader of a dynamic binary', async () => {
    // Given an x86-64 ELF whose loader does not exist here
    const loader = join(dir, 'no-such-dir', 'ld-musl-x86_64.so.1')
    const path = file('driver-musl', craftElf({machine: EM_X86_64, interpreter: loader}))

    // When it is checked on this kind of machine
    const report = await checkBinary(path, LINUX_X64)

    // Then the loader is named and the hint points to a static build
    assert.deepEqual(codes(report), ['INTERPRETER_MISSING'])
    assert.match(problem(report, 'INTERPRETER_MISSING').message, /needs the program loader .*ld-musl-x86_64\.so\.1, which this machine does not have/)
    assert.match(problem(report, 'INTERPRETER_MISSING').hint, /musl.*CGO_ENABLED=0/)
  })

  it('reports a script whose #! interpreter does not exist', async () => {
    // Given an executable script for an interpreter that is not installed
    const path = file('driver.sh', '#!/no/such/interpreter -x\necho hi\n')

    // When it is checked
    const report = await checkBinary(path)

    // Then the shebang is parsed and the interpreter reported missing
    assert.equal(report.format, 'script')
    assert.deepEqual(report.shebang, {line: '/no/such/interpreter -x', interpreter: '/no/such/interpreter', argument: '-x', exists: false})
    assert.deepEqual(codes(report), ['INTERPRETER_MISSING'])
    assert.match(problem(report, 'INTERPRETER_MISSING').message, /driver\.sh is a script for \/no\/such\/interpreter, which is not installed/)
    assert.equal(report.canRun, false)
  })

  it('looks up the program of a #!/usr/bin/env line on PATH', async () => {
    // Given two scripts run through env: one for sh, one for a program nobody has
    const found = file('env-sh', '#!/usr/bin/env sh\necho hi\n')
    const missing = file('env-missing', '#!/usr/bin/env -S no-such-program-ke --flag\n')

    // When both are checked
    const ok = await checkBinary(found)
    const bad = await checkBinary(missing)

    // Then sh is found on PATH, and the missing program is named
    assert.equal(ok.shebang?.program, 'sh')
    assert.match(ok.shebang?.programPath ?? '', /\/sh$/)
    assert.equal(ok.canRun, true)
    assert.equal(bad.shebang?.program, 'no-such-program-ke')
    assert.match(problem(bad, 'INTERPRETER_MISSING').message, /script for no-such-program-ke \(looked up on PATH by \/usr\/bin\/env\)/)
  })

  it('explains a #! line broken by Windows line endings', async () => {
    // Given a script saved with CRLF line endings
    const path = file('driver-crlf.sh', '#!/bin/sh\r\necho hi\r\n')

    // When it is checked
    const report = await checkBinary(path)

    // Then the problem says so and the hint strips the carriage returns
    assert.match(problem(report, 'INTERPRETER_MISSING').message, /driver-crlf\.sh has Windows line endings, so its #! line names '\/bin\/sh\\r'/)
    assert.match(problem(report, 'INTERPRETER_MISSING').hint, /^convert it: sed -i 's\/\\r\$\/\/'/)
  })

  it('reports a text file without #! as not a program', async () => {
    // Given an executable plain text file
    const path = file('notes.txt', 'just some notes\n')

    // When it is checked
    const report = await checkBinary(path)

    // Then it is NOT_A_PROGRAM, of unknown format
    assert.equal(report.format, 'unknown')
    assert.deepEqual(codes(report), ['NOT_A_PROGRAM'])
    assert.match(problem(report, 'NOT_A_PROGRAM').message, /notes\.txt is a text file without a #! line/)
  })

  it('recognises a downloaded archive and an HTML error page, and says what to do with each', async () => {
    // Given a gzip archive and an HTML page saved where a driver was expected
    const archive = file('driver.tar.gz', gzipSync(Buffer.from('driver')))
    const page = file('driver-404', '\n<!DOCTYPE html><html><body>Not Found</body></html>')

    // When both are checked
    const archiveReport = await checkBinary(archive)
    const pageReport = await checkBinary(page)

    // Then the archive is to be unpacked and the page re-downloaded
    assert.match(problem(archiveReport, 'NOT_A_PROGRAM').message, /is a gzip archive/)
    assert.match(problem(archiveReport, 'NOT_A_PROGRAM').hint, /tar -xzf .*driver\.tar\.gz/)
    assert.match(problem(pageReport, 'NOT_A_PROGRAM').message, /HTML document \(an error page from the download\?\)/)
  })

  it('reports a Windows program as built for win32', async () => {
    // Given a PE header, as in kontainer-engine-driver-x-windows-amd64.exe
    const path = file('driver.exe', craftPe())

    // When it is checked on linux x64
    const report = await checkBinary(path, LINUX_X64)

    // Then the OS is wrong but the CPU is right
    assert.equal(report.format, 'pe')
    assert.equal(report.os, 'win32')
    assert.equal(report.arch, 'x64')
    assert.deepEqual(codes(report), ['WRONG_OS'])
  })

  it('reports an ELF object file as not a program', async () => {
    // Given a relocatable ELF (a .o file)
    const path = file('driver.o', craftElf({machine: EM_X86_64, type: 1}))

    // When it is checked
    const report = await checkBinary(path, LINUX_X64)

    // Then it is NOT_A_PROGRAM
    assert.match(problem(report, 'NOT_A_PROGRAM').message, /object file/)
  })

  it('reports a shared library as not a program, while still reading its glibc needs', async () => {
    // Given an ELF shared object that needs libc.so.6 but names no loader
    const path = file('libdriver.so', craftElf({machine: EM_X86_64, type: 3, glibc: ['2.14'], needsLibc: true}))

    // When it is checked
    const report = await checkBinary(path, LINUX_X64)

    // Then it is dynamic, its glibc need is read, and it is no program
    assert.equal(report.linkage, 'dynamic')
    assert.equal(report.interpreter, undefined)
    assert.equal(report.glibcRequired, '2.14')
    assert.deepEqual(codes(report), ['NOT_A_PROGRAM'])
    assert.match(problem(report, 'NOT_A_PROGRAM').message, /libdriver\.so is a shared library \(\.so\), not a program/)
  })

  it('reports a file without the exec bit and hints chmod +x with its path', async () => {
    // Given a copy of a good static driver, mode 0644
    const path = join(dir, 'no exec bit')
    copyFileSync(staticGoBinary, path)
    chmodSync(path, 0o644)

    // When it is checked
    const report = await checkBinary(path)

    // Then only the exec bit is wrong, and the hint quotes the path for the shell
    assert.equal(report.executable, false)
    assert.deepEqual(codes(report), ['NOT_EXECUTABLE'])
    assert.equal(problem(report, 'NOT_EXECUTABLE').message, `${path} is not executable (mode 0644)`)
    assert.equal(problem(report, 'NOT_EXECUTABLE').hint, `chmod +x '${path}'`)
    assert.equal(report.canRun, false)
  })

  it('reports a missing path, naming where a relative path resolves to', async () => {
    // Given a relative path to nothing
    // When it is checked
    const report = await checkBinary('./no-such-driver-ke')

    // Then MISSING, with the absolute path in the hint
    assert.equal(report.exists, false)
    assert.deepEqual(codes(report), ['MISSING'])
    assert.equal(problem(report, 'MISSING').message, './no-such-driver-ke does not exist')
    assert.match(problem(report, 'MISSING').hint, new RegExp(`resolves to ${process.cwd()}/no-such-driver-ke`))
  })

  it('reports a dangling symbolic link as missing, naming its target', async () => {
    // Given a link to a file that is gone
    const path = join(dir, 'dangling')
    symlinkSync(join(dir, 'gone'), path)

    // When it is checked
    const report = await checkBinary(path)

    // Then MISSING names the link's target
    assert.match(problem(report, 'MISSING').message, /dangling is a symbolic link to .*gone, which does not exist/)
  })

  it('reports a directory as not a file', async () => {
    // Given a directory
    // When it is checked
    const report = await checkBinary(dir)

    // Then NOT_A_FILE
    assert.equal(report.exists, true)
    assert.equal(report.isFile, false)
    assert.deepEqual(codes(report), ['NOT_A_FILE'])
    assert.match(problem(report, 'NOT_A_FILE').message, /is a directory, not a driver binary/)
  })

  it('reports a docker-machine plugin as a docker-machine driver, not a cluster driver', async () => {
    // Given a real Go binary carrying libmachine's plugin banner
    const path = join(dir, 'docker-machine-driver-x')
    copyFileSync(staticGoBinary, path)
    appendFileSync(path, `${DOCKER_MACHINE_MARKER}.\nPlugin binaries are not intended to be invoked directly.\n`)

    // When it is checked
    const report = await checkBinary(path)

    // Then it runs here but is the wrong kind of driver
    assert.equal(report.dockerMachinePlugin, true)
    assert.deepEqual(codes(report), ['DOCKER_MACHINE_PLUGIN'])
    assert.match(problem(report, 'DOCKER_MACHINE_PLUGIN').message, /docker-machine-driver-x is a docker-machine driver, not a cluster driver/)
    assert.match(problem(report, 'DOCKER_MACHINE_PLUGIN').hint, /docker-machine/)
    assert.equal(report.canRun, false)
  })

  it('finds the docker-machine banner even where it straddles two read chunks', async () => {
    // Given 8 MiB of zeros with the banner across the 4 MiB boundary the scanner reads in
    const content = Buffer.alloc(8 * 1024 * 1024)
    content.write(DOCKER_MACHINE_MARKER, 4 * 1024 * 1024 - 10, 'latin1')
    const path = file('straddling', content)

    // When it is checked
    const report = await checkBinary(path)

    // Then the banner is found
    assert.equal(report.dockerMachinePlugin, true)
  })

  it('returns a plain JSON-able report', async () => {
    // Given any report
    const report = await checkBinary(process.execPath)

    // When it goes through JSON
    // Then nothing is lost
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report)
  })
})

describe('describeBinaryProblem', () => {
  it('returns nothing for a binary that can run', async () => {
    // Given a good binary
    const report = await checkBinary(staticGoBinary)

    // When the launcher asks for a diagnosis
    // Then there is none
    assert.equal(describeBinaryProblem(report), undefined)
  })

  it('picks the wrong OS over a missing exec bit and points to ke driver check for the rest', async () => {
    // Given a Mach-O without the exec bit, on linux
    const path = file('mac-no-exec', craftMachO(CPU_X86_64), 0o644)
    const report = await checkBinary(path, LINUX_X64)

    // When the launcher asks for a diagnosis
    const diagnosis = describeBinaryProblem(report)

    // Then the OS is what to fix first, and the other problem is mentioned
    assert.deepEqual(codes(report).sort(), ['NOT_EXECUTABLE', 'WRONG_OS'])
    assert.equal(diagnosis?.message, problem(report, 'WRONG_OS').message)
    assert.equal(diagnosis?.hint, `download the linux-amd64 build of the driver; 1 more problem: see \`ke driver check ${path}\``)
  })

  it('puts the docker-machine plugin first, since no build of it is a cluster driver', async () => {
    // Given a docker-machine plugin built for darwin
    const path = file('docker-machine-driver-mac', Buffer.concat([craftMachO(CPU_ARM64), Buffer.from(DOCKER_MACHINE_MARKER)]))
    const report = await checkBinary(path, LINUX_X64)

    // When the launcher asks for a diagnosis
    // Then the docker-machine problem comes first
    assert.match(describeBinaryProblem(report)?.message ?? '', /is a docker-machine driver, not a cluster driver/)
  })
})

describe('compareVersions', () => {
  it('orders glibc versions numerically, part by part', () => {
    // Given versions that sort differently as text
    // When compared
    // Then numbers decide
    assert.ok(compareVersions('2.10', '2.9') > 0)
    assert.ok(compareVersions('2.2.5', '2.3') < 0)
    assert.equal(compareVersions('2.17', '2.17.0'), 0)
  })
})

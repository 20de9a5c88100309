// The shapes a binary check produces: the public report and problems, and what the header parsers
// hand to problem detection. Public ones are re-exported by ../binary-check.ts.

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
  /** For a JavaScript or TypeScript source: what ke runs it with, so it needs neither #! line nor exec bit. */
  runner?: string
  /** The file carries "This is a Docker Machine plugin binary": a node driver, not a cluster driver. */
  dockerMachinePlugin: boolean
  host: HostInfo
  canRun: boolean
  problems: BinaryProblem[]
}

/** Every libmachine plugin prints this when started directly; Go keeps the literal intact in the binary. */
export const DOCKER_MACHINE_MARKER = 'This is a Docker Machine plugin binary'

/** What the header says beyond the report's fields; it only feeds problem detection. */
export interface HeaderFacts {
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

export interface ParsedHeader {
  header: Partial<BinaryReport>
  facts: HeaderFacts
}

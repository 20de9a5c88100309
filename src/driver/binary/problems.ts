// The problems a report can show, each with a message naming the path and a hint saying what to do.
import type {Stats} from 'node:fs'
import {lstat, readlink} from 'node:fs/promises'
import {isAbsolute, resolve} from 'node:path'
import {ET_CORE, ET_REL} from './elf.js'
import {compareVersions} from './elf-glibc.js'
import {MH_EXECUTE} from './mach-o.js'
import {exists} from './read.js'
import type {BinaryFormat, BinaryProblem, BinaryReport, HeaderFacts, HostInfo, ShebangInfo} from './types.js'
import {shellQuote} from '../../shell-quote.js'

export async function findProblems(report: BinaryReport, facts: HeaderFacts, stats: Stats, host: HostInfo): Promise<BinaryProblem[]> {
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

export async function missingProblem(path: string): Promise<BinaryProblem> {
  const link = await readlink(path).catch(() => undefined)
  if (link !== undefined && (await lstat(path).catch(() => undefined))) {
    return {
      code: 'MISSING',
      message: `${path} is a symbolic link to ${link}, which does not exist`,
      hint: `point the link at the driver binary, or use the binary's own path`,
    }
  }
  const where = isAbsolute(path) ? '' : `, which resolves to ${resolve(path)}`
  return {
    code: 'MISSING',
    message: `${path} does not exist`,
    hint: `check the path${where}, or download the driver again`,
  }
}

export function notAFileProblem(path: string, stats: Stats): BinaryProblem {
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

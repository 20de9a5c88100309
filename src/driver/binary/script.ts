// Scripts: the #! line as the kernel reads it, and whether its interpreter (or env's program) exists.
import {delimiter, join} from 'node:path'
import {exists, isExecutable} from './read.js'
import type {ShebangInfo} from './types.js'

// Linux reads at most this much of a #! line.
const SHEBANG_LIMIT = 256

export function parseShebangLine(head: Buffer): ShebangInfo {
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

export async function resolveShebang(shebang: ShebangInfo): Promise<ShebangInfo> {
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

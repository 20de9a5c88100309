// What the file contains: its header, parsed by the first format that recognises it, and whether it
// carries the docker-machine marker.
import {open, type FileHandle} from 'node:fs/promises'
import {guessContentKind} from './content-kind.js'
import {isElf, parseElf} from './elf.js'
import {parseMachO} from './mach-o.js'
import {isPe, parsePe} from './pe.js'
import {fileContains, RandomAccessFile} from './read.js'
import {parseShebangLine} from './script.js'
import {DOCKER_MACHINE_MARKER, type ParsedHeader} from './types.js'

interface ContentFindings extends ParsedHeader {
  dockerMachinePlugin: boolean
}

export async function inspectContent(path: string): Promise<ContentFindings> {
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

import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'

export interface FileDigest {
  path: string
  size: number
  /** Lower-case hex: what Rancher's "Checksum" field takes (64 characters select sha256). */
  sha256: string
}

export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return {path, size: (await stat(path)).size, sha256: hash.digest('hex')}
}

// Archives for driver-install tests, made in the test: tar.gz with the `tar` package, zip by hand
// (stored entries, no compression) so no zip tool is needed.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {crc32} from 'node:zlib'
import {create} from 'tar'

export type Entries = Record<string, Buffer | string>

export async function makeTarGz(entries: Entries): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'ke-tar-'))
  try {
    for (const [name, content] of Object.entries(entries)) {
      mkdirSync(join(dir, 'src', dirname(name)), {recursive: true})
      writeFileSync(join(dir, 'src', name), content, {mode: 0o755})
    }
    const file = join(dir, 'out.tar.gz')
    await create({gzip: true, file, cwd: join(dir, 'src'), portable: true}, Object.keys(entries))
    return readFileSync(file)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const DOS_DATE_1980_01_01 = (1 << 5) | 1

/** A zip with every entry stored (method 0): local headers, central directory, end record. */
export function makeStoredZip(entries: Entries): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content)
    const fileName = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fileName.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(0x031e, 4) // made by unix, 3.0
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fileName.length, 28)
    central.writeUInt32LE((0o100755 << 16) >>> 0, 38) // external attributes: regular file 0755
    central.writeUInt32LE(offset, 42)
    locals.push(local, fileName, data)
    centrals.push(central, fileName)
    offset += local.length + fileName.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(centrals.length / 2, 8)
  end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

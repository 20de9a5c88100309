// `--archive`: a .tar.gz holding the one executable. Rancher unpacks a download that is not an ELF
// binary and takes the file named kontainer-engine-driver-* in it; the driver's name is the rest of
// that file's name (PROTOCOL.md, "How Rancher installs a driver from a URL").
import {basename, dirname} from 'node:path'

/** Writes `archive`: a gzipped tar whose only entry is `file`, under its base name, mode kept. */
export async function writeArchive(file: string, archive: string): Promise<void> {
  // loaded here: every command oclif runs reads the file this module is bundled in
  const {create} = await import('tar')
  // portable: no user or group names of the machine that packaged it
  await create({gzip: true, portable: true, file: archive, cwd: dirname(file)}, [basename(file)])
}

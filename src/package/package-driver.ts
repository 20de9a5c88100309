// `ke driver package`: a driver written with the SDK -> one executable that Rancher can download and run
// as `DRIVER <port>` with no Node.js installed. The steps:
//   1. bundle the entry and everything it imports into one script (bundle.ts, esbuild),
//   2. make a Node single-executable application of it (sea.ts: a copy of this node + the script),
//   3. with --archive, put it in a .tar.gz (archive.ts),
//   4. checksum what the user uploads: Rancher's "Add Cluster Driver" form asks for it.
// Everything is made in a staging directory beside the output and renamed into place at the end, so an
// interrupted or failed run leaves no half-written executable under the final name.
import {mkdir, mkdtemp, rename, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type {Progress} from '../cluster/deps.js'
import {protoText} from '../driver/proto.js'
import {KeError} from '../errors.js'
import {writeArchive} from './archive.js'
import {bundleDriver} from './bundle.js'
import {digestFile, type FileDigest} from './digest.js'
import {planOutput, resolveEntry} from './entry.js'
import {assertCanMakeExecutable, makeExecutable} from './sea.js'

export interface PackageRequest {
  /** `sample` or the path of the driver's entry file. */
  entry: string
  /** `-o`: the executable's path (or a directory for it). */
  output?: string
  archive: boolean
  cwd: string
  progress: Progress
  /** Aborted on Ctrl-C: stops the step under way. */
  signal?: AbortSignal
}

export interface PackageResult {
  /** The name Rancher gives the driver. */
  name: string
  /** The entry file that was bundled. */
  entry: string
  /** `linux-x64`: where the executable runs. */
  platform: string
  /** The Node.js version inside the executable. */
  node: string
  executable: FileDigest
  archive?: FileDigest
  /** What to upload for Rancher: the archive with --archive, else the executable. */
  upload: FileDigest
  /** Source files in the bundle. */
  modules: number
  warnings: string[]
}

function checkNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KeError('CANCELLED', 'driver package was interrupted')
}

/** Drivers run inside Rancher, on linux: a build for another OS is only good for trying it out. */
function platformWarnings(): string[] {
  if (process.platform === 'linux') return []
  return [`this executable is for ${process.platform}-${process.arch}; Rancher runs cluster drivers on linux: package the driver on a linux machine with the CPU of your Rancher server`]
}

export async function packageDriver(req: PackageRequest): Promise<PackageResult> {
  assertCanMakeExecutable()
  const entry = resolveEntry(req.entry, req.cwd)
  const plan = planOutput(entry, req.output, req.cwd)
  const warnings = [...plan.warnings, ...platformWarnings()]
  for (const warning of warnings) req.progress.warn(warning)

  req.progress.stage(`Bundling ${entry.file} (esbuild)`)
  const bundle = await bundleDriver({entry: entry.file, protoText: protoText()})
  for (const warning of bundle.warnings) req.progress.warn(`esbuild: ${warning}`)
  warnings.push(...bundle.warnings.map((warning) => `esbuild: ${warning}`))
  checkNotAborted(req.signal)

  await mkdir(dirname(plan.executable), {recursive: true})
  const staging = await mkdtemp(join(dirname(plan.executable), '.ke-package-'))
  try {
    const staged = join(staging, plan.archiveEntry)
    req.progress.stage(`Making a single executable of it (a copy of node ${process.version})`)
    await makeExecutable({script: bundle.script, output: staged, workDir: staging, signal: req.signal, codeCache: !bundle.dynamicImport})
    checkNotAborted(req.signal)
    const stagedArchive = join(staging, 'driver.tar.gz')
    if (req.archive) {
      req.progress.stage(`Writing ${plan.executable}.tar.gz`)
      await writeArchive(staged, stagedArchive)
      checkNotAborted(req.signal)
    }
    req.progress.stage('Computing checksums')
    await rename(staged, plan.executable)
    const executable = await digestFile(plan.executable)
    let archive: FileDigest | undefined
    if (req.archive) {
      await rename(stagedArchive, `${plan.executable}.tar.gz`)
      archive = await digestFile(`${plan.executable}.tar.gz`)
    }
    req.progress.done()
    return {
      name: plan.name,
      entry: entry.file,
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
      executable,
      archive,
      upload: archive ?? executable,
      modules: bundle.inputs,
      warnings,
    }
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

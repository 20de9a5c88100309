// `ke driver package`: a driver written with the SDK -> one executable that Rancher can download and run
// as `DRIVER <port>` with no Node.js installed. The steps:
//   1. bundle the entry and everything it imports into one script (bundle.ts, esbuild),
//   2. make a Node single-executable application of it (sea.ts: a copy of this node + the script),
//   3. with --archive, put it in a .tar.gz (archive.ts),
//   4. checksum what the user uploads: Rancher's "Add Cluster Driver" form asks for it.
// Everything is made in a staging directory beside the output and renamed into place at the end, so an
// interrupted or failed run leaves no half-written executable under the final name.
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, rename, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type {Progress} from '../cluster/deps.js'
import {protoText} from '../protocol/proto.js'
import {KeError} from '../errors.js'
import {writeArchive} from './archive.js'
import {bundleDriver, type BundledDriver} from './bundle.js'
import {digestFile, type FileDigest} from './digest.js'
import {planOutput, resolveEntry, type OutputPlan} from './entry.js'
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

/** mkdir -p, one level at a time: Node's recursive mkdir spins forever where mkdir keeps failing with ENOENT (/proc). */
async function makeDirectories(dir: string): Promise<void> {
  if (existsSync(dir)) return
  if (dirname(dir) !== dir) await makeDirectories(dirname(dir))
  await mkdir(dir)
}

/** The staging directory sits beside the output, so that the final rename stays on one file system. */
async function makeStaging(dir: string): Promise<string> {
  try {
    await makeDirectories(dir)
    return await mkdtemp(join(dir, '.ke-package-'))
  } catch (error) {
    throw new KeError('PACKAGE_FAILED', `cannot write the driver into ${dir}: ${(error as Error).message}`, {
      hint: 'pass -o with a path in a directory you can write to',
      cause: error,
    })
  }
}

async function bundle(req: PackageRequest, entry: string, warnings: string[]): Promise<BundledDriver> {
  req.progress.stage(`Bundling ${entry} (esbuild)`)
  const bundled = await bundleDriver({entry, protoText: protoText()})
  for (const warning of bundled.warnings) {
    req.progress.warn(`esbuild: ${warning}`)
    warnings.push(`esbuild: ${warning}`)
  }
  checkNotAborted(req.signal)
  return bundled
}

/** Makes the executable (and the archive) in `staging`; returns their staged paths. */
async function build(req: PackageRequest, bundled: BundledDriver, plan: OutputPlan, staging: string): Promise<{executable: string; archive?: string}> {
  const executable = join(staging, plan.archiveEntry)
  req.progress.stage(`Making a single executable of it (a copy of node ${process.version})`)
  await makeExecutable({script: bundled.script, output: executable, workDir: staging, signal: req.signal, codeCache: !bundled.dynamicImport})
  checkNotAborted(req.signal)
  if (!req.archive) return {executable}
  const archive = join(staging, 'driver.tar.gz')
  req.progress.stage(`Writing ${plan.executable}.tar.gz`)
  await writeArchive(executable, archive)
  checkNotAborted(req.signal)
  return {executable, archive}
}

/** Renames the staged files to their final names and checksums them. */
async function place(staged: {executable: string; archive?: string}, plan: OutputPlan): Promise<{executable: FileDigest; archive?: FileDigest}> {
  await rename(staged.executable, plan.executable)
  if (staged.archive) await rename(staged.archive, `${plan.executable}.tar.gz`)
  return {
    executable: await digestFile(plan.executable),
    archive: staged.archive ? await digestFile(`${plan.executable}.tar.gz`) : undefined,
  }
}

export async function packageDriver(req: PackageRequest): Promise<PackageResult> {
  assertCanMakeExecutable()
  const entry = resolveEntry(req.entry, req.cwd)
  const plan = planOutput(entry, req.output, req.cwd, {archive: req.archive})
  const warnings = [...plan.warnings, ...platformWarnings()]
  for (const warning of warnings) req.progress.warn(warning)
  const staging = await makeStaging(dirname(plan.executable))
  try {
    const bundled = await bundle(req, entry.file, warnings)
    const staged = await build(req, bundled, plan, staging)
    req.progress.stage('Computing checksums')
    const {executable, archive} = await place(staged, plan)
    req.progress.done()
    return {
      name: plan.name,
      entry: entry.file,
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
      executable,
      archive,
      upload: archive ?? executable,
      modules: bundled.inputs,
      warnings,
    }
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

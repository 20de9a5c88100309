// Human view of `ke driver package`: what was made, the checksum Rancher asks for, and how to add the
// driver to Rancher.
import {basename, relative} from 'node:path'
import type {FileDigest} from '../../package/digest.js'
import type {PackageResult} from '../../package/package-driver.js'
import type {Colors} from '../colors.js'

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** A path as the user would type it: relative to the current directory when inside it. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') ? `./${rel}` : path
}

/**
 * The next steps, in words: used by the human view and carried in the --json result. `suggest` makes
 * a ke command line of its words, as ke was run here (CommandSession.suggestedCommand).
 */
export function packageNextSteps(result: PackageResult, cwd: string, suggest: (words: string) => string): string[] {
  const upload = basename(result.upload.path)
  return [
    `try it here: ${suggest(`driver verify --full --driver ${shown(result.executable.path, cwd)}`)}`,
    `put ${upload} at an http(s) URL your Rancher server can download from (a release asset, an object store)`,
    'in Rancher: Cluster Management → Drivers → Cluster Drivers → Add Cluster Driver',
    `paste that URL into "Download URL" and ${result.upload.sha256} into "Checksum", then Create`,
    `Rancher downloads it and activates the driver "${result.name}"; it is then offered when you create a cluster`,
  ]
}

function fileRow(label: string, file: FileDigest, cwd: string): string {
  return `  ${label.padEnd(10)} ${shown(file.path, cwd)}  ${formatSize(file.size)}`
}

export function renderPackage(result: PackageResult, cwd: string, c: Colors, suggest: (words: string) => string): string {
  const lines = [
    c.green(`Packaged driver ${c.bold(result.name)} for ${result.platform} (Node ${result.node} inside, ${result.modules} modules)`),
    fileRow('executable', result.executable, cwd),
  ]
  if (result.archive) lines.push(fileRow('archive', result.archive, cwd))
  lines.push(
    '',
    `upload    ${basename(result.upload.path)} (${formatSize(result.upload.size)})`,
    `sha256    ${c.bold(result.upload.sha256)}`,
    '',
    'Next:',
    ...packageNextSteps(result, cwd, suggest).map((step, i) => `  ${i + 1}. ${step}`),
  )
  return lines.join('\n')
}

// Step 2 of packaging: a Node single-executable application (SEA) that runs the bundled script.
// https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html
// The recipe: `node --experimental-sea-config` turns the script into a blob; a copy of this very node
// binary gets the blob injected by postject as the resource NODE_SEA_BLOB, and postject flips the
// binary's sentinel fuse so it runs the blob instead of acting as `node`. The result needs no Node.js
// where it runs; it needs what this node needs (for official Linux builds: glibc, libstdc++).
//
// In the executable, process.argv is [executable, executable as invoked, ...arguments], so the port
// stays at argv[2] where serveDriver looks for it.
import {execFile} from 'node:child_process'
import {chmod, copyFile, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {KeError} from '../errors.js'

const run = promisify(execFile)

/** Named by Node's SEA documentation; the fuse is the string node checks at start-up. */
export const SEA_RESOURCE = 'NODE_SEA_BLOB'
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'

export interface SeaRequest {
  /** The bundled CommonJS script. */
  script: string
  /** Where the executable goes (overwritten). */
  output: string
  /** A private scratch directory for the script, the config and the blob. */
  workDir: string
  /** Aborts the child processes (Ctrl-C). */
  signal?: AbortSignal
  /** Node binary to copy; defaults to the one running ke. */
  nodeBinary?: string
  /**
   * Ship V8's code cache of the script: start-up compiles nothing (half the CPU for a large bundle).
   * Node documents that `import()` does not work with it, so only for scripts without one.
   */
  codeCache: boolean
}

/** Refuses early when this Node cannot make a self-contained executable. */
export function assertCanMakeExecutable(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new KeError('PACKAGE_FAILED', `cannot package a driver on ${platform}: ke packages drivers on linux (and macOS, for local tries)`, {
      hint: 'run ke driver package on a linux machine with the CPU of your Rancher server',
    })
  }
  const variables = process.config.variables as unknown as Record<string, unknown>
  if (variables.node_shared === true) {
    throw new KeError('PACKAGE_FAILED', `cannot package a driver with this Node (${process.execPath}): it is built as a shared library (libnode), which a packaged driver would need where it runs`, {
      hint: 'use an official Node build from nodejs.org (for example installed with nvm or fnm) to run ke driver package',
    })
  }
}

/** postject is needed only here; ke finds it where it finds its other dependencies. */
function resolvePostject(): string {
  try {
    return createRequire(import.meta.url).resolve('postject')
  } catch (error) {
    throw new KeError('PACKAGE_FAILED', 'cannot package a driver: postject (which writes the driver into a copy of node) is not installed with ke', {
      hint: 'reinstall ke with its dependencies (npm install), or run it from a checkout of ke after npm install',
      cause: error,
    })
  }
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').filter((line) => !/^warning: Can't find string offset/.test(line)).slice(-count).join(' | ')
}

async function step(what: string, file: string, args: string[], opts: {cwd?: string; signal?: AbortSignal}): Promise<void> {
  try {
    await run(file, args, {cwd: opts.cwd, signal: opts.signal, maxBuffer: 16 * 1024 * 1024})
  } catch (error) {
    if (opts.signal?.aborted) throw new KeError('CANCELLED', `driver package was interrupted while ${what}`, {cause: error})
    const e = error as {stderr?: string; stdout?: string; message: string}
    const detail = lastLines(`${e.stdout ?? ''}\n${e.stderr ?? ''}`) || e.message
    throw new KeError('PACKAGE_FAILED', `cannot package the driver: ${what} failed: ${detail}`, {
      hint: 'run ke driver package with an official Node 20 or newer from nodejs.org',
      cause: error,
    })
  }
}

/**
 * postject runs in its own node process: it loads the whole ~100 MB executable into WebAssembly memory,
 * and prints warnings of its ELF library that ke's output must not carry.
 */
const INJECT_SCRIPT = `
const [postject, target, blob, resource, fuse, segment] = process.argv.slice(1)
require(postject)
  .inject(target, resource, require('fs').readFileSync(blob), {sentinelFuse: fuse, machoSegmentName: segment})
  .catch((error) => { process.stderr.write(String(error.message) + '\\n'); process.exitCode = 1 })
`

/** Writes `req.output`: a copy of node that runs `req.script`. */
export async function makeExecutable(req: SeaRequest): Promise<void> {
  const postject = resolvePostject()
  const node = req.nodeBinary ?? process.execPath
  const script = join(req.workDir, 'driver.cjs')
  const config = join(req.workDir, 'sea-config.json')
  const blob = join(req.workDir, 'driver.blob')
  await writeFile(script, req.script)
  await writeFile(config, JSON.stringify({main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: req.codeCache}))
  await step('making the SEA blob (node --experimental-sea-config)', node, ['--experimental-sea-config', config], {cwd: req.workDir, signal: req.signal})
  await copyFile(node, req.output)
  await chmod(req.output, 0o755)
  const darwin = process.platform === 'darwin'
  if (darwin) await step('removing the signature of the node copy (codesign)', 'codesign', ['--remove-signature', req.output], {signal: req.signal})
  await step('injecting the blob into the node copy (postject)', node, ['-e', INJECT_SCRIPT, postject, req.output, blob, SEA_RESOURCE, SEA_FUSE, 'NODE_SEA'], {
    signal: req.signal,
  })
  if (darwin) await step('signing the executable (codesign)', 'codesign', ['--sign', '-', req.output], {signal: req.signal})
}

// What the Kubernetes benchmark rows share (scripts/bench-store.js, scripts/bench-controller.js): whether
// a control plane can run here, and one of the script's own, started as scripts/test.js starts the
// tests' one (test/support/kubernetes-supervisor.ts) and stopped when the script ends or is killed.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const START_DEADLINE_MS = 240_000

/** Why there is no control plane to measure against, or undefined (the tests' own rule: shared/k8s or KUBEBUILDER_ASSETS). */
export function skipReason() {
  if (process.env.KUBEBUILDER_ASSETS || existsSync(resolve(ROOT, '..', 'shared', 'k8s', 'unpack'))) return undefined
  return 'no Kubernetes control-plane binaries (set KUBEBUILDER_ASSETS, or see ../shared/k8s/README.md)'
}

/** A control plane of this script alone: {info (its ready.json), stop()}. */
export async function startControlPlane() {
  const dir = mkdtempSync(join(tmpdir(), 'ke-bench-kube-'))
  const supervisor = spawn(process.execPath, ['--import', 'tsx', join('test', 'support', 'kubernetes-supervisor.ts'), dir, String(process.pid)], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
  })
  const exited = new Promise((done) => supervisor.once('exit', done))
  const stop = () => {
    supervisor.kill('SIGTERM')
    return exited
  }
  const deadline = Date.now() + START_DEADLINE_MS
  for (;;) {
    if (existsSync(join(dir, 'ready.json'))) return {info: JSON.parse(readFileSync(join(dir, 'ready.json'), 'utf8')), stop}
    for (const file of ['failed.txt', 'skipped.txt']) {
      if (existsSync(join(dir, file))) {
        await stop()
        throw new Error(readFileSync(join(dir, file), 'utf8'))
      }
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the control plane was not ready within ${START_DEADLINE_MS / 1000} s`)
    }
    await new Promise((done) => setTimeout(done, 200))
  }
}

/**
 * Runs `measure({plane, kc, work})` against a control plane of this script's own, with an admin
 * client-node KubeConfig and a scratch folder; prints "`rows` skipped: why" instead when no control
 * plane can run or start here. Stops the control plane and removes the folder afterwards.
 */
export async function withControlPlane(rows, measure) {
  const reason = skipReason()
  if (reason) {
    console.log(`${rows} skipped: ${reason}`)
    return
  }
  const work = mkdtempSync(join(tmpdir(), 'ke-bench-'))
  let plane
  try {
    try {
      plane = await startControlPlane()
    } catch (error) {
      console.log(`${rows} skipped: the control plane did not start: ${error.message.split('\n')[0]}`)
      return
    }
    const {KubeConfig} = await import('@kubernetes/client-node')
    const kc = new KubeConfig()
    kc.loadFromFile(plane.info.kubeconfig)
    await measure({plane, kc, work})
  } finally {
    await plane?.stop()
    rmSync(work, {recursive: true, force: true, maxRetries: 10})
  }
}

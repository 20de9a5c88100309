// What the Kubernetes benchmark rows share (scripts/bench-store.js, scripts/bench-controller.js): whether
// a control plane can run here, and one of the script's own, started as scripts/test.js starts the
// tests' one (test/support/kubernetes-supervisor.ts) and stopped when the script ends or is killed.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
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

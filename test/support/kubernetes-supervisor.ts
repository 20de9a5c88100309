// The one process that owns a test control plane: `node --import tsx kubernetes-supervisor.ts DIR PID`.
// Finds (or installs) the binaries, starts the control plane in DIR and writes DIR/ready.json, or
// DIR/failed.txt with the reason and each component's last log lines. It stops exactly the processes it
// started, then removes DIR, when it gets SIGTERM/SIGINT/SIGHUP or when process PID (the test run or
// the test file that asked for it) is gone, so even a killed test run leaves nothing behind.
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ControlPlane} from './control-plane.js'
import {ensureBinaries, kubernetesSkipReason} from './kubernetes.js'

const [dir, watched] = process.argv.slice(2)
if (!dir || !watched) throw new Error('usage: kubernetes-supervisor.ts DIR PID')

function publish(name: string, text: string): void {
  writeFileSync(join(dir!, `${name}.part`), text)
  renameSync(join(dir!, `${name}.part`), join(dir!, name))
}

let plane: ControlPlane | undefined
let stopping: Promise<void> | undefined
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    await plane?.stop()
    rmSync(dir!, {recursive: true, force: true})
    process.exit(0)
  })()
  return stopping
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown())
setInterval(() => {
  try {
    process.kill(Number(watched), 0)
  } catch {
    void shutdown()
  }
}, 500)

try {
  const skip = kubernetesSkipReason()
  if (skip) {
    publish('skipped.txt', skip)
  } else {
    plane = new ControlPlane(dir, await ensureBinaries())
    publish('ready.json', JSON.stringify(await plane.start()))
  }
} catch (error) {
  if (!stopping) publish('failed.txt', (error as Error).message)
}

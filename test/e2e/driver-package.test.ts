// `ke driver package`: a driver written with the SDK becomes one executable that runs where no Node.js
// is installed, and that ke, the Go host (as Rancher) and `ke driver install` take like any driver.
// Packaging copies a ~100 MB node binary, so the sample is packaged once, in before(), for every test.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {closeSync, createReadStream, existsSync, openSync, readdirSync, readSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {join} from 'node:path'
import {attachedDriver} from '../../src/driver/run/launch.js'
import {pickFreePort} from '../../src/driver/run/ports.js'
import {GrpcClusterDriver} from '../../src/driver/rpc/client.js'
import {DriverLog} from '../../src/driver/run/driver-log.js'
import {Redactor} from '../../src/redact.js'
import {clusterExists, isAlive, makeHome, runKe, runKeJson, sampleRequests, waitFor} from '../support/ke.js'
import {freshHome} from '../support/homes.js'
import {goBuild, runGoHost} from '../go/support.js'

let home: string
let dispose: () => void
/** `ke driver package sample -o ... --archive --json`, run once. */
let packaged: any
let executable: string
let archive: string

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function firstBytes(path: string, count: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(count)
    readSync(fd, buffer, 0, count, 0)
    return buffer
  } finally {
    closeSync(fd)
  }
}

/** Runs the executable as `env -i PATH=/nonexistent EXE ARGS`: no node reachable, no inherited env. */
function runBare(args: string[]) {
  const child = spawn('env', ['-i', 'PATH=/nonexistent', executable, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {child, exited, output: () => ({stdout, stderr})}
}

before(async () => {
  ;({home, dispose} = makeHome('ke-driver-package-'))
  // named as release assets are, which also keeps its name clear of ke's built-in `sample`
  executable = join(home, 'out', 'kontainer-engine-driver-packaged-v1.0.0-linux-amd64')
  const result = await runKeJson(['driver', 'package', 'sample', '-o', executable, '--archive'], {home, timeoutMs: 240_000})
  assert.equal(result.code, 0, result.stderr)
  packaged = result.json
  archive = `${executable}.tar.gz`
}, {timeout: 300_000})

after(() => dispose())

describe('ke driver package', () => {
  it('writes an executable and its archive, and prints the sha256 of the archive to upload', async () => {
    // Given the sample packaged with --archive --json (before)
    // Then both files exist, the executable is an ELF program with its exec bit
    assert.ok(statSync(executable).mode & 0o100, 'the executable has its exec bit')
    assert.deepEqual([...firstBytes(executable, 4)], [0x7f, 0x45, 0x4c, 0x46])
    assert.equal(packaged.name, 'packaged')
    assert.equal(packaged.platform, `${process.platform}-${process.arch}`)
    // and the JSON carries each file's size and sha256, the archive being what to upload
    assert.equal(packaged.executable.path, executable)
    assert.equal(packaged.executable.size, statSync(executable).size)
    assert.equal(packaged.executable.sha256, await sha256(executable))
    assert.equal(packaged.archive.path, archive)
    assert.equal(packaged.archive.sha256, await sha256(archive))
    assert.deepEqual(packaged.upload, packaged.archive)
    // and the next steps say where in Rancher to add it, with that checksum
    const steps = packaged.nextSteps.join('\n')
    assert.match(steps, /Cluster Management → Drivers → Cluster Drivers → Add Cluster Driver/)
    assert.ok(steps.includes(`${packaged.archive.sha256} into "Checksum"`), steps)
    // and the command to try it here runs ke as this test ran it (node and the script), not a `ke` that may not be on PATH
    assert.match(steps, /^try it here: node -- \S*bin\/run\.js driver verify --full --driver /m)
    // and nothing of the staging directory is left beside them
    assert.deepEqual(readdirSync(join(home, 'out')).sort(), ['kontainer-engine-driver-packaged-v1.0.0-linux-amd64', 'kontainer-engine-driver-packaged-v1.0.0-linux-amd64.tar.gz'])
  })

  it('makes an executable that serves gRPC with an empty environment and no node on PATH', async () => {
    // Given the executable started as `env -i PATH=/nonexistent ./kontainer-engine-driver-sample PORT`
    const port = await pickFreePort()
    const run = runBare([String(port)])
    const driver = await GrpcClusterDriver.connect(attachedDriver(`127.0.0.1:${port}`, new DriverLog('packaged', new Redactor())))
    try {
      await waitFor(() => /driver listening/.test(run.output().stderr) || run.child.exitCode !== null, 'the packaged driver to listen')
      assert.equal(run.child.exitCode, null, run.output().stderr)

      // When ke's client asks for its create options
      const options = await driver.getCreateOptions()

      // Then the sample's options come back, and the driver printed no SEA warning
      assert.equal(options['node-count'].type, 'int')
      assert.equal(options['api-key'].password, true)
      assert.doesNotMatch(run.output().stderr, /single executable|warning/i)
    } finally {
      await driver.stop()
      run.child.kill('SIGTERM')
      await run.exited
    }
  })

  it('makes an executable that prints a one-line usage and exits 2 without a port', async () => {
    // Given the executable started with no argument
    const run = runBare([])

    // When it exits
    const code = await run.exited

    // Then it said what it is in one line on stderr, with no stack trace
    const {stdout, stderr} = run.output()
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr.trim().split('\n').length, 1, stderr)
    assert.match(stderr, /^kontainer-engine-driver-sample is a Kubernetes cluster driver \(kontainer-engine protocol\): ke or Rancher starts it as `kontainer-engine-driver-sample PORT`/)
  })

  it('makes an executable that stops when the process that started it dies', async () => {
    // Given the executable started by a shell that then waits on its stdin, logging into the shell's stdout
    const port = await pickFreePort()
    const parent = spawn('sh', ['-c', '"$0" "$1" 2>&1 & echo "pid=$!"; read line', executable, String(port)], {stdio: ['pipe', 'pipe', 'ignore']})
    let out = ''
    parent.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    const pid = Number(await waitFor(() => /pid=(\d+)/.exec(out)?.[1], 'the pid of the packaged driver'))
    try {
      // the driver notes its parent once it serves: only then can it notice the parent going away
      await waitFor(() => /driver listening/.test(out), 'the packaged driver to listen')

      // When the shell is killed
      parent.kill('SIGKILL')

      // Then the driver says it noticed, and exits by itself
      await waitFor(() => /shutting down: parent process exited/.test(out), 'the packaged driver to notice its parent died', 15_000)
      await waitFor(() => !isAlive(pid), 'the packaged driver to exit after its parent died', 15_000)
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      parent.stdout.destroy()
      parent.stdin.destroy()
    }
  })

  it('makes an executable that ke create and ke rm run a cluster with', async (t) => {
    // a KE_HOME of its own: the packaged files stay where `before` wrote them
    const own = freshHome(t)
    // Given the packaged sample as --driver
    // When a cluster is created and removed with it
    const created = await runKeJson(['create', '--driver', executable, 'packaged-1'], {home: own})
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.json.cluster.status, 'Running')
    const removed = await runKe(['rm', '-y', 'packaged-1'], {home: own})

    // Then both succeed, the packaged driver served each call, and the cluster is gone
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(clusterExists(own, 'packaged-1'), false)
    assert.deepEqual(sampleRequests(own).map((r) => r.method), ['Create', 'PostCheck', 'Remove'])
  })

  it('makes an executable that passes ke driver verify --full', async (t) => {
    const own = freshHome(t)
    // Given the packaged sample
    // When its whole contract is verified, lifecycle included
    const result = await runKeJson(['driver', 'verify', '--full', '--driver', executable], {home: own, timeoutMs: 120_000})

    // Then no check failed and the lifecycle ran
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.ok, true)
    assert.equal(result.json.full, true)
    assert.equal(result.json.summary.failed, 0)
    assert.ok(result.json.checks.some((c: {name: string; status: string}) => c.name === 'lifecycle.create' && c.status === 'pass'))
  })

  it('makes an executable that the Go host runs as Rancher does: options, create, post-check, remove', async () => {
    // Given the Go host of the interop tests (grpc-go, code generated from our proto)
    const go = await goBuild()

    // When it runs the packaged sample with the options a Rancher user would give
    const {code, report, stderr} = await runGoHost(go.host, {
      command: [executable],
      env: {KE_SAMPLE_CLOUD: join(home, 'go-host-cloud')},
      name: 'rancher-packaged',
      driverName: 'sample',
      config: {nodeCount: 2, region: 'sample-west-2'},
    })

    // Then every step answered: Rancher's schema, the create with camelCase options, and the remove
    assert.equal(code, 0, stderr)
    assert.equal(report.schemaError, undefined)
    assert.equal(report.schema.nodeCount.default, 3)
    assert.equal(report.create.error, undefined, JSON.stringify(report.create))
    assert.equal(report.create.ok.node_count, '2')
    assert.equal(report.postCheck.error, undefined, JSON.stringify(report.postCheck))
    assert.deepEqual(report.remove, {ok: {}, unrecognized: []})
  })

  it('makes an archive that ke driver install takes from a URL with the printed checksum', async (t) => {
    const own = freshHome(t)
    // Given the archive served over HTTP, as from a release page
    const server: Server = createServer((req, res) => {
      if (req.url !== '/releases/v1.0.0/driver.tar.gz') return void res.writeHead(404).end()
      res.writeHead(200, {'content-type': 'application/gzip', 'content-length': statSync(archive).size})
      createReadStream(archive).pipe(res)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as {port: number}
    try {
      // When it is installed with the checksum ke driver package printed
      const url = `http://127.0.0.1:${port}/releases/v1.0.0/driver.tar.gz`
      const result = await runKeJson(['driver', 'install', url, '--checksum', packaged.upload.sha256], {home: own, timeoutMs: 120_000})

      // Then it is installed as the driver "packaged" (the name in the archive), byte for byte the executable
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.json.name, 'packaged')
      const installed = join(own, 'drivers', 'kontainer-engine-driver-packaged')
      assert.equal(result.json.path, installed)
      assert.equal(await sha256(installed), packaged.executable.sha256)
    } finally {
      server.close()
    }
  })
})

describe('ke driver package, refusing bad input', () => {
  it('is a usage error, in one line, when ENTRY does not exist', async () => {
    // Given no such file
    // When it is packaged
    const result = await runKe(['driver', 'package', './no-such-driver.ts'], {home, cwd: home})

    // Then it exits 2 with one line on stderr and writes nothing
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, /^Error: ENTRY \.\/no-such-driver\.ts does not exist \(pass your driver's entry file/)
    assert.equal(existsSync(join(home, 'kontainer-engine-driver-no')), false)
  })

  it('fails with PACKAGE_FAILED naming the missing import when the driver does not bundle', async () => {
    // Given an entry whose dependency is not installed
    // When it is packaged with --json
    const result = await runKeJson(['driver', 'package', 'test/fixtures/drivers/package-missing-import.ts', '-o', join(home, 'broken')], {home})

    // Then it exits 1 with the file, line and import, and no executable
    assert.equal(result.code, 1)
    assert.equal(result.json.error.code, 'PACKAGE_FAILED')
    assert.match(result.json.error.message, /^cannot bundle .*package-missing-import\.ts: .*package-missing-import\.ts:2:\d+: Could not resolve "ke-no-such-package"$/)
    assert.doesNotMatch(result.stderr, /\n\s+at /)
    assert.equal(existsSync(join(home, 'broken')), false)
  })

  it('fails with PACKAGE_FAILED before bundling when the output directory cannot be made', async () => {
    // Given -o inside a path whose parent is a regular file
    const file = join(home, 'a-file')
    writeFileSync(file, 'not a directory')

    // When the sample is packaged there
    const result = await runKe(['driver', 'package', 'sample', '-o', join(file, 'kontainer-engine-driver-x')], {home})

    // Then it says where it cannot write, and never started bundling
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Error: cannot write the driver into .*a-file: ENOTDIR.* \(pass -o with a path in a directory you can write to\)/)
    assert.doesNotMatch(result.stderr, /Bundling/)
  })

  it('is a usage error when -o names an archive', async () => {
    // Given -o naming a .tar.gz
    // When the sample is packaged
    const result = await runKe(['driver', 'package', 'sample', '-o', join(home, 'sample.tar.gz')], {home})

    // Then it says -o names the executable and --archive writes the archive
    assert.equal(result.code, 2)
    assert.match(result.stderr, /names an archive, but -o names the executable \(use -o \.\/kontainer-engine-driver-sample --archive/)
  })
})

// `ke driver check FILE`: the preflight of a driver binary, run as the user runs it.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {appendFileSync, chmodSync, copyFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {makeHome, runKe, runKeJson} from '../support/ke.js'
import {goBuild} from '../go/support.js'

let home: string
let dispose: () => void
/** The Go cluster driver the Go tests build: grpc-go, static, made like Rancher's third-party drivers. */
let goDriver: string

/** A 64-bit little-endian Mach-O header for arm64: what a darwin-arm64 driver download starts with. */
function machOArm64Header(): Buffer {
  const header = Buffer.alloc(32)
  header.writeUInt32LE(0xfeedfacf, 0)
  header.writeUInt32LE(0x0100000c, 4)
  header.writeUInt32LE(2, 12)
  return header
}

function derivedDriver(name: string, mode = 0o755): string {
  const path = join(home, name)
  copyFileSync(goDriver, path)
  chmodSync(path, mode)
  return path
}

before(async () => {
  ;({home, dispose} = makeHome('ke-driver-check-'))
  goDriver = (await goBuild()).driver
}, {timeout: 300_000})

after(() => dispose())

describe('ke driver check', () => {
  it('says a real Go cluster driver can run here and is a cluster driver, and exits 0', async () => {
    // Given the Go cluster driver, built static
    // When it is checked
    const result = await runKe(['driver', 'check', goDriver], {home})

    // Then the human report shows an ELF for this machine and says it can run
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`type\\s+ELF 64-bit for linux/${process.arch}`))
    assert.match(result.stdout, /linkage\s+static/)
    assert.match(result.stdout, /^can run here\nis a cluster driver: it answered GetDriverCreateOptions \(\d+ options?\)$/m)
  })

  it('prints the report as one JSON document with --json', async () => {
    // Given the Go cluster driver
    // When it is checked with --json
    const result = await runKeJson(['driver', 'check', goDriver], {home})

    // Then stdout is the report and nothing else
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.path, goDriver)
    assert.equal(result.json.format, 'elf')
    assert.equal(result.json.os, 'linux')
    assert.equal(result.json.arch, process.arch)
    assert.equal(result.json.linkage, 'static')
    assert.equal(result.json.canRun, true)
    assert.deepEqual(result.json.problems, [])
  })

  it('reports the loader and glibc of a dynamic binary against the installed glibc', async () => {
    // Given node's own binary, dynamically linked against glibc
    // When it is checked with --json
    const result = await runKeJson(['driver', 'check', '--no-start', process.execPath], {home})

    // Then the loader and both glibc versions are in the report
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.linkage, 'dynamic')
    assert.match(result.json.interpreter, /ld-linux/)
    assert.match(result.json.glibcRequired, /^2\.\d+/)
    assert.equal(result.json.glibcInstalled, (process.report.getReport() as any).header.glibcVersionRuntime)
  })

  it('exits 1 for a driver built for darwin and says which build to download', async () => {
    // Given a darwin-arm64 driver download
    const path = join(home, 'kontainer-engine-driver-x-darwin-arm64')
    writeFileSync(path, machOArm64Header(), {mode: 0o755})

    // When it is checked, as text and as JSON
    const text = await runKe(['driver', 'check', path], {home})
    const json = await runKeJson(['driver', 'check', path], {home})

    // Then both exit 1; the text names the problem and the linux build; the JSON carries the codes
    assert.equal(text.code, 1)
    assert.match(text.stdout, /cannot run here:/)
    assert.match(text.stdout, /is a Mach-O binary \(arm64\) built for darwin, not for this linux machine/)
    assert.match(text.stdout, /hint: download the linux-(amd64|arm64) build of the driver/)
    assert.equal(json.code, 1)
    assert.equal(json.json.canRun, false)
    assert.ok(json.json.problems.some((p: {code: string}) => p.code === 'WRONG_OS'))
  })

  it('exits 1 for a driver without the exec bit and hints chmod +x', async () => {
    // Given the Go driver copied without its exec bit
    const path = derivedDriver('kontainer-engine-driver-noexec', 0o644)

    // When it is checked
    const result = await runKe(['driver', 'check', path], {home})

    // Then the only problem is the exec bit, with the command that fixes it
    assert.equal(result.code, 1)
    assert.match(result.stdout, /executable\s+no/)
    assert.match(result.stdout, new RegExp(`hint: chmod \\+x ${path}`))
  })

  it('exits 1 for a docker-machine plugin, calling it a docker-machine driver, not a cluster driver', async () => {
    // Given a Go binary carrying libmachine's plugin banner
    const path = derivedDriver('docker-machine-driver-x')
    appendFileSync(path, 'This is a Docker Machine plugin binary.\nPlugin binaries are not intended to be invoked directly.\n')

    // When it is checked with --json
    const result = await runKeJson(['driver', 'check', path], {home})

    // Then it is reported as the wrong kind of driver
    assert.equal(result.code, 1)
    assert.equal(result.json.dockerMachinePlugin, true)
    assert.deepEqual(result.json.problems.map((p: {code: string}) => p.code), ['DOCKER_MACHINE_PLUGIN'])
    assert.match(result.json.problems[0].message, /is a docker-machine driver, not a cluster driver/)
  })

  it('ends with one error line for a file with two problems: the check lists them, a create points to the check', async () => {
    // Given a text file without a #! line and without the exec bit
    const path = join(home, 'kontainer-engine-driver-notes')
    writeFileSync(path, 'notes, not a program\n', {mode: 0o644})
    const first = `Error: ${path} is a text file without a #! line, not a program (use the driver binary, or start the script with a #! line such as #!/bin/sh`

    // When it is checked, and then given to create
    const check = await runKe(['driver', 'check', path, '--no-start'], {home})
    const create = await runKe(['create', '--driver', path, 'notes'], {home})

    // Then the check's report lists both and its error line names the first alone; create's points to the check
    assert.equal(check.code, 1)
    assert.match(check.stdout, /not a program\n.*\n.*is not executable \(mode 0644\)/)
    assert.equal(check.stderr, `${first})\n`)
    assert.equal(create.code, 1)
    assert.equal(create.stderr, `${first}; 1 more problem: see \`ke driver check ${path}\`)\n`)
  })

  it('exits 3 for a path that does not exist', async () => {
    // Given nothing at the path
    // When it is checked
    const result = await runKe(['driver', 'check', join(home, 'kontainer-engine-driver-gone')], {home})

    // Then it says so
    assert.equal(result.code, 3)
    assert.match(result.stdout, /kontainer-engine-driver-gone does not exist/)
  })

  it('is a usage error without a DRIVER', async () => {
    // Given no argument
    // When the command runs
    const result = await runKe(['driver', 'check'], {home})

    // Then it exits 2 with a usage error
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), "Error: missing argument DRIVER (see `ke driver check --help`)")
  })
})

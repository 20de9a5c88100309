// bundleDriver: the script a packaged driver runs. Run here with plain node (the executable runs the
// same script); test/e2e/driver-package.test.ts runs it as the single executable.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {bundleDriver, type BundledDriver} from '../../../src/package/bundle.js'
import {attachedDriver} from '../../../src/driver/run/launch.js'
import {pickFreePort} from '../../../src/driver/run/ports.js'
import {GrpcClusterDriver} from '../../../src/driver/rpc/client.js'
import {DriverLog} from '../../../src/driver/run/driver-log.js'
import {protoText} from '../../../src/protocol/proto.js'
import {Redactor} from '../../../src/redact.js'
import {isKeError} from '../../../src/errors.js'
import {ROOT, waitFor} from '../../support/ke.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'drivers')

let dir: string
let bundled: BundledDriver

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ke-bundle-'))
  bundled = await bundleDriver({entry: join(FIXTURES, 'package-exports-and-awaits.ts'), protoText: protoText()})
})

after(() => rmSync(dir, {recursive: true, force: true}))

/** Runs the bundle as `node driver.cjs PORT` from a directory with no proto file and no node_modules. */
async function startBundle(): Promise<{child: ChildProcess; port: number; stderr: () => string}> {
  const script = join(dir, 'driver.cjs')
  writeFileSync(script, bundled.script)
  const port = await pickFreePort()
  const child = spawn(process.execPath, [script, String(port)], {cwd: dir, env: {PATH: '/nonexistent'}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return {child, port, stderr: () => stderr}
}

describe('bundleDriver', () => {
  it('bundles an entry that exports and awaits at the top level into a script that serves gRPC', async () => {
    // Given the bundle of an ESM entry with exports, import.meta.url and top-level await
    const {child, port, stderr} = await startBundle()
    const driver = await GrpcClusterDriver.connect(attachedDriver(`127.0.0.1:${port}`, new DriverLog('bundle', new Redactor())))
    try {
      // When it is asked for its options once it listens
      await waitFor(() => /driver listening/.test(stderr()) || child.exitCode !== null, 'the bundled driver to listen')
      assert.equal(child.exitCode, null, stderr())
      const options = await driver.getCreateOptions()

      // Then the awaited default is there: the top-level await ran before serving
      assert.equal(options.zone.default?.defaultString, 'awaited-zone')
      // and nothing warned on the way (no missing .proto file, no SEA require warning)
      assert.doesNotMatch(stderr(), /warning/i)
    } finally {
      await driver.stop()
      child.kill('SIGTERM')
    }
  })

  it('carries the proto and the .proto files of grpc-health-check and @grpc/reflection', () => {
    // Given the bundle
    // Then the driver proto is set before any module runs, and the health proto travels as text
    assert.match(bundled.script, /globalThis\.__KE_PROTO_TEXT__ = "/)
    assert.match(bundled.script, /__ke_embedded__\/grpc-health-check\/proto\/health\/v1\/health\.proto/)
    assert.match(bundled.script, /__ke_embedded__\/@grpc\/reflection\/build\/proto\/grpc\/reflection\/v1alpha\/reflection\.proto/)
    assert.deepEqual(bundled.warnings, [])
  })

  it("leaves ke's command-line code out of an SDK driver, so the executable is small and ships V8's code cache", () => {
    // Given the bundle of a driver that imports only the SDK
    // Then oclif (and the TypeScript compiler it pulls in) is not in it: the SDK must not import src/errors.ts
    assert.ok(!bundled.script.includes('oclif.manifest.json'), 'the SDK pulls in @oclif/core (through src/errors.ts?)')
    // and no import() is left, which would turn V8's code cache off
    assert.equal(bundled.dynamicImport, false)
  })

  it('resolves ke/sdk and ke/sdk/kube to this ke for a driver project that has no ke installed', async () => {
    // Given an entry outside any project with ke in node_modules, importing both SDK entry points
    const entry = join(dir, 'outside-driver.ts')
    writeFileSync(entry, "import {serveDriver} from 'ke/sdk'\nimport {generateServiceAccountToken} from 'ke/sdk/kube'\nconsole.log(typeof serveDriver, typeof generateServiceAccountToken)\n")

    // When it is bundled
    const outside = await bundleDriver({entry, protoText: protoText()})

    // Then both resolve to ke's own SDK: the token helper is in the script
    assert.match(outside.script, /generateServiceAccountToken/)
    assert.deepEqual(outside.warnings, [])
  })

  it('fails with PACKAGE_FAILED naming the import and its file when a dependency is missing', async () => {
    // Given an entry that imports a package that is not installed
    // When it is bundled
    const error = await bundleDriver({entry: join(FIXTURES, 'package-missing-import.ts'), protoText: protoText()}).catch((e: unknown) => e)

    // Then the error says which import, where, and what to do
    assert.ok(isKeError(error), String(error))
    assert.equal(error.keCode, 'PACKAGE_FAILED')
    assert.match(error.message, /^cannot bundle .*package-missing-import\.ts: .*package-missing-import\.ts:2:\d+: Could not resolve "ke-no-such-package"$/)
    assert.match(error.hint ?? '', /npm install/)
  })
})

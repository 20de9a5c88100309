// serveDriver registers the standard gRPC health and reflection services, as most Go drivers do, so
// grpcurl and health probes work against an SDK driver.
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import {canConnect, pickFreePort} from '../../src/driver/run/ports.js'
import {ROOT, keEnv, makeHome, waitFor} from '../support/ke.js'

const require = createRequire(import.meta.url)

function load(file: string): any {
  return grpc.loadPackageDefinition(protoLoader.loadSync(require.resolve(file)))
}

// the SDK as a driver author runs it, and the built-in sample as ke runs it (bundled, src/sdk's health and
// reflection loaded on their first call from chunks that carry their .proto files)
const SAMPLES = {script: join(ROOT, 'dist', 'builtin-drivers', 'sample', 'main.js'), 'bundled built-in': join(ROOT, 'dist', 'b', 'drivers', 'sample.js')}

for (const [kind, sample] of Object.entries(SAMPLES)) describe(`SDK driver › standard gRPC services (${kind})`, () => {
  let driver: ChildProcess
  let address: string
  let dispose: () => void
  before(async () => {
    const home = makeHome()
    dispose = home.dispose
    const port = await pickFreePort()
    address = `127.0.0.1:${port}`
    driver = spawn(process.execPath, [sample, String(port)], {env: keEnv({home: home.home}), stdio: 'ignore'})
    // every test needs it listening: none may count on another having waited for it
    await waitFor(() => canConnect(port), 'the sample driver to listen')
  })
  after(() => {
    driver.kill('SIGKILL')
    dispose()
  })

  it('answers the health check for types.Driver with SERVING', async () => {
    const Health = load('grpc-health-check/proto/health/v1/health.proto').grpc.health.v1.Health
    const client = new Health(address, grpc.credentials.createInsecure())
    const check = () =>
      new Promise<number | undefined>((resolve) =>
        client.Check({service: 'types.Driver'}, {deadline: Date.now() + 2000}, (error: Error | null, reply: {status: number | string}) =>
          resolve(error ? undefined : Number(reply.status === 'SERVING' ? 1 : reply.status)),
        ),
      )
    assert.equal(await waitFor(check, 'the health service to answer'), 1)
    client.close()
  })

  it('lists types.Driver through server reflection and serves its file descriptor', async () => {
    const Reflection = load('@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto').grpc.reflection.v1alpha.ServerReflection
    const client = new Reflection(address, grpc.credentials.createInsecure())
    const replies: any[] = []
    const call = client.ServerReflectionInfo()
    const ended = new Promise((resolve) => call.on('end', resolve).on('error', resolve))
    call.on('data', (reply: unknown) => replies.push(reply))
    call.write({listServices: '*'})
    call.write({fileContainingSymbol: 'types.Driver'})
    await waitFor(() => replies.length === 2, 'two reflection replies')
    call.end()
    await ended
    client.close()
    assert.deepEqual(replies[0].listServicesResponse.service.map((s: {name: string}) => s.name), ['types.Driver'])
    assert.equal(replies[1].fileDescriptorResponse.fileDescriptorProto.length, 1)
  })
})

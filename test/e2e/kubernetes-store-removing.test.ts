// Issue 15: the Removing phase through the CLI, on both stores (the file store and the Kubernetes
// store of the run's REAL API server). `ke rm` records Removing before the driver's Remove: `ke ls`
// shows it while rm runs; a killed rm leaves it, shown as an interrupted Error, retried by the next rm;
// a failed Remove leaves Error with the driver's reason and its log's last lines.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {collect, isAlive, makeHome, runKe, runKeJson, sampleRequests, startKe, waitFor, type KeOptions} from '../support/ke.js'
import {needsKubernetes} from '../support/kubernetes.js'
import {cliStore} from '../support/kubernetes-store-cli.js'

const stores: Array<{name: string; skip: {skip: string | false}; options(home: string): Promise<(env?: Record<string, string>) => KeOptions>}> = [
  {name: 'file', skip: {skip: false}, options: async (home) => (env = {}) => ({home, env: {KE_STORE: undefined, ...env}, timeoutMs: 120_000})},
  {
    name: 'kubernetes',
    skip: needsKubernetes,
    options: async (home) => {
      const k = await cliStore(home)
      return (env = {}) => k.options(home, env)
    },
  },
]

for (const store of stores) {
  describe(`Removing on the ${store.name} store`, store.skip, () => {
    const disposals: Array<() => void> = []
    after(() => disposals.forEach((dispose) => dispose()))
    async function setUp() {
      const {home, dispose} = makeHome(`ke-removing-${store.name}-`)
      disposals.push(dispose)
      return {home, options: await store.options(home)}
    }
    const rows = async (options: KeOptions) => (await runKeJson(['ls'], options)).json.map((row: {name: string; status: string; reason?: string}) => [row.name, row.status, row.reason])

    it('ls shows Removing while rm runs; a killed rm shows as interrupted, is refused by update and create, and the next rm retries it', async () => {
      // Given a Running cluster
      const {home, options} = await setUp()
      assert.equal((await runKe(['create', '--driver', 'sample', 'web'], options())).code, 0)

      // When an rm runs whose driver takes long to Remove
      const rm = startKe(['rm', '-y', 'web'], options({KE_SAMPLE_REMOVE_SECONDS: '120'}))
      const done = collect(rm, {timeoutMs: 180_000})

      // Then ls shows it Removing
      await waitFor(async () => (await rows(options()))[0]?.[1] === 'Removing', 'ls to show web Removing', 60_000)
      await waitFor(() => sampleRequests(home).some((request) => request.method === 'Remove'), 'the driver to be asked to Remove')

      // When that rm is killed with -9
      rm.kill('SIGKILL')
      await done
      await waitFor(() => !isAlive(rm.pid!), 'the killed ke to be gone')

      // Then ls shows an Error that says Removing was interrupted
      assert.deepEqual(await rows(options()), [['web', 'Error', 'interrupted: the ke running it stopped during Removing']])

      // and update and create refuse it, saying rm finishes it
      for (const args of [['update', 'web', '--node-count', '4'], ['create', '--driver', 'sample', 'web']]) {
        const refused = await runKe(args, options())
        assert.equal(refused.code, 4, refused.stderr)
        assert.equal(refused.stderr, 'Error: cluster web is being removed: an earlier `ke rm web` stopped before it finished (run `ke rm web` again to finish removing it)\n')
      }

      // When rm runs again, Then it calls Remove again and the cluster is gone
      const again = await runKe(['rm', '-y', 'web'], options())
      assert.equal(again.code, 0, again.stderr)
      assert.equal(sampleRequests(home).filter((request) => request.method === 'Remove').length, 2)
      assert.deepEqual(await rows(options()), [])
    })

    it('a failed Remove leaves Error with the driver\'s reason and its log\'s last lines; rm again removes it', async () => {
      // Given a Running cluster
      const {options} = await setUp()
      assert.equal((await runKe(['create', '--driver', 'sample', 'web'], options())).code, 0)

      // When rm runs and the driver's Remove fails
      const failed = await runKe(['rm', '-y', 'web'], options({KE_SAMPLE_FAIL_REMOVE: '1'}))

      // Then rm exits 1, and the record is Error with the reason and the log's lines, after Removing
      assert.equal(failed.code, 1, failed.stderr)
      assert.match(failed.stderr, /simulated failure removing/)
      const record = (await runKeJson(['inspect', 'web'], options())).json
      assert.equal(record.status, 'Error')
      assert.match(record.reason, /^driver \S+ failed Remove: .*simulated failure removing \S+ \(KE_SAMPLE_FAIL_REMOVE\)/)
      assert.match(record.errorLog, /removing cluster/)
      assert.deepEqual(record.history.slice(-2).map((entry: {status: string; command: string}) => [entry.status, entry.command]), [['Removing', 'rm'], ['Error', 'rm']])

      // When rm runs again with a working driver, Then the cluster is gone
      const again = await runKe(['rm', '-y', 'web'], options())
      assert.equal(again.code, 0, again.stderr)
      assert.deepEqual(await rows(options()), [])
    })
  })
}

// The controller's probe server and metrics (issue 16), over real HTTP on 127.0.0.1 with prom-client's
// own text format: what the kubelet and Prometheus would read.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {after, describe, it} from 'node:test'
import {KeError} from '../../../src/errors.js'
import {createMetrics} from '../../../src/controller/metrics.js'
import {parseAddress, startProbeServer, type ProbeServer} from '../../../src/controller/probe-server.js'

/** The value of one sample line `name{labels} value` in the text format, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('probe server', () => {
  const servers: ProbeServer[] = []
  after(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  async function start(state: {healthy: boolean; ready: boolean}) {
    const metrics = await createMetrics()
    const server = await startProbeServer({address: '127.0.0.1:0', metrics, healthy: () => state.healthy, ready: () => state.ready})
    servers.push(server)
    const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server.port}${path}`, {method})
    return {metrics, server, get}
  }

  it('answers /healthz 200 while healthy and 503 once not', async () => {
    // Given a healthy controller
    const state = {healthy: true, ready: false}
    const {get} = await start(state)

    // Then /healthz answers 200, and 503 once it is not healthy
    const ok = await get('/healthz')
    assert.equal(ok.status, 200)
    assert.equal(await ok.text(), 'ok\n')
    state.healthy = false
    assert.equal((await get('/healthz')).status, 503)
  })

  it('answers /readyz 503 until ready (the informer synced), then 200', async () => {
    const state = {healthy: true, ready: false}
    const {get} = await start(state)

    const before = await get('/readyz')
    assert.equal(before.status, 503)
    assert.match(await before.text(), /not ready/)
    state.ready = true
    assert.equal((await get('/readyz')).status, 200)
  })

  it('serves /metrics in the Prometheus text format with the controller metrics and the process defaults', async () => {
    // Given a controller that reconciled, timed an operation and reports its gauges
    const {metrics, get} = await start({healthy: true, ready: true})
    metrics.reconciled('success')
    metrics.reconciled('success')
    metrics.reconciled('error')
    metrics.observeOperation('create', 2.5)
    metrics.setQueueDepth(7)
    metrics.setRunningDrivers(3)
    metrics.setLeader(true)

    // When Prometheus scrapes
    const res = await get('/metrics')

    // Then each is there with its value, in the text exposition format
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    assert.equal(sample(text, 'ke_controller_reconcile_total{result="success"}'), 2)
    assert.equal(sample(text, 'ke_controller_reconcile_total{result="error"}'), 1)
    assert.equal(sample(text, 'ke_controller_operation_duration_seconds_count{operation="create"}'), 1)
    assert.equal(sample(text, 'ke_controller_operation_duration_seconds_sum{operation="create"}'), 2.5)
    assert.equal(sample(text, 'ke_controller_operation_duration_seconds_bucket{le="5",operation="create"}'), 1)
    assert.equal(sample(text, 'ke_controller_operation_duration_seconds_bucket{le="1",operation="create"}'), 0)
    assert.equal(sample(text, 'ke_controller_queue_depth'), 7)
    assert.equal(sample(text, 'ke_controller_running_drivers'), 3)
    assert.equal(sample(text, 'ke_controller_leader'), 1)
    assert.match(text, /^# TYPE ke_controller_reconcile_total counter$/m)
    assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0, 'the default process metrics are there')
  })

  it('reports leader 0 until it leads, and after it stops leading', async () => {
    const {metrics, get} = await start({healthy: true, ready: true})
    assert.equal(sample(await (await get('/metrics')).text(), 'ke_controller_leader'), 0)
    metrics.setLeader(true)
    metrics.setLeader(false)
    assert.equal(sample(await (await get('/metrics')).text(), 'ke_controller_leader'), 0)
  })

  it('keeps two controllers in one process apart (a registry each)', async () => {
    const one = await start({healthy: true, ready: true})
    const two = await start({healthy: true, ready: true})
    one.metrics.setQueueDepth(5)
    assert.equal(sample(await (await two.get('/metrics')).text(), 'ke_controller_queue_depth'), 0)
  })

  it('answers 404 for any other path, 405 for other methods, and HEAD without a body', async () => {
    const {get} = await start({healthy: true, ready: true})
    const missing = await get('/')
    assert.equal(missing.status, 404)
    assert.match(await missing.text(), /try \/healthz, \/readyz or \/metrics/)
    assert.equal((await get('/healthz/extra')).status, 404)
    assert.equal((await get('/healthz', 'POST')).status, 405)
    const head = await get('/healthz', 'HEAD')
    assert.equal(head.status, 200)
    assert.equal(await head.text(), '')
  })

  it('answers /healthz?verbose like /healthz (query strings are ignored)', async () => {
    const {get} = await start({healthy: true, ready: true})
    assert.equal((await get('/healthz?verbose=1')).status, 200)
  })

  it('stops answering once closed (close is idempotent)', async () => {
    const {server, get} = await start({healthy: true, ready: true})
    assert.equal((await get('/healthz')).status, 200)
    await server.close()
    await server.close()
    await assert.rejects(get('/healthz'))
  })

  it('refuses a port in use with one line naming the address', async () => {
    // Given a port another server holds
    const other = createServer()
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as {port: number}).port
    try {
      // Then the probe server refuses it
      const metrics = await createMetrics()
      await assert.rejects(startProbeServer({address: `127.0.0.1:${port}`, metrics, healthy: () => true, ready: () => true}), (error: unknown) => {
        assert.ok(error instanceof KeError)
        assert.equal(error.keCode, 'BAD_FLAG')
        assert.equal(error.message, `--probe-address 127.0.0.1:${port} is in use`)
        return true
      })
    } finally {
      other.close()
    }
  })
})

describe('probe address', () => {
  it('reads host:port, :port (every interface) and [v6]:port', () => {
    assert.deepEqual(parseAddress('127.0.0.1:8080'), {host: '127.0.0.1', port: 8080})
    assert.deepEqual(parseAddress(':8080'), {host: undefined, port: 8080})
    assert.deepEqual(parseAddress('[::1]:0'), {host: '::1', port: 0})
    assert.deepEqual(parseAddress('localhost:0'), {host: 'localhost', port: 0})
  })

  it('refuses anything else with a BAD_FLAG that shows the form', () => {
    for (const bad of ['8080', 'host:', 'host:99999', 'a:b']) {
      assert.throws(() => parseAddress(bad), (error: unknown) => {
        assert.ok(error instanceof KeError)
        assert.equal(error.keCode, 'BAD_FLAG')
        assert.equal(error.message, `--probe-address ${JSON.stringify(bad)} is not HOST:PORT`)
        return true
      })
    }
  })
})

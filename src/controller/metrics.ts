// The controller's Prometheus metrics, through prom-client (loaded lazily: only `ke controller` pays
// for it). Each controller gets its own registry, so two in one process (tests) do not collide.

export interface ControllerMetrics {
  /** One reconcile finished; `result` is a small fixed set such as `success`, `error`, `requeue`, `invalid`. */
  reconciled(result: string): void
  /** A lifecycle operation (`create`, `update`, `remove`, …) took `seconds`, whatever its outcome. */
  observeOperation(operation: string, seconds: number): void
  setQueueDepth(n: number): void
  /** Driver processes running right now. */
  setRunningDrivers(n: number): void
  setLeader(isLeader: boolean): void
  /** The text exposition format, as GET /metrics answers it. */
  render(): Promise<{contentType: string; body: string}>
}

export const METRIC_PREFIX = 'ke_controller_'

/** Real operations last from a second to over half an hour (a cloud Create): buckets cover both. */
const OPERATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600]

export async function createMetrics(): Promise<ControllerMetrics> {
  const {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} = await import('prom-client')
  const registry = new Registry()
  collectDefaultMetrics({register: registry})
  const reconciles = new Counter({
    name: `${METRIC_PREFIX}reconcile_total`,
    help: 'Reconciles of Cluster objects, by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const operations = new Histogram({
    name: `${METRIC_PREFIX}operation_duration_seconds`,
    help: 'Duration of lifecycle operations run through drivers, by operation.',
    labelNames: ['operation'] as const,
    buckets: OPERATION_BUCKETS,
    registers: [registry],
  })
  const gauge = (name: string, help: string) => new Gauge({name: `${METRIC_PREFIX}${name}`, help, registers: [registry]})
  const queueDepth = gauge('queue_depth', 'Cluster objects waiting in the work queue.')
  const runningDrivers = gauge('running_drivers', 'Driver processes running now.')
  const leader = gauge('leader', '1 while this replica holds the leader Lease (or runs without leader election), else 0.')
  leader.set(0)
  return {
    reconciled: (result) => reconciles.inc({result}),
    observeOperation: (operation, seconds) => operations.observe({operation}, seconds),
    setQueueDepth: (n) => queueDepth.set(n),
    setRunningDrivers: (n) => runningDrivers.set(n),
    setLeader: (isLeader) => leader.set(isLeader ? 1 : 0),
    render: async () => ({contentType: registry.contentType, body: await registry.metrics()}),
  }
}

// The cluster records the benchmarks list and move: the size real drivers make them (~20 KiB:
// certificates, a token, driver state), so that reading and writing them costs what it costs users.

/** A Running record named `name`; `seed` varies its blobs. */
export function benchRecord(name, seed) {
  const now = new Date().toISOString()
  const blob = (bytes, offset) => Buffer.alloc(bytes, seed + offset).toString('base64')
  return {
    schemaVersion: 1,
    name,
    driver: {ref: 'sample', display: 'sample'},
    status: 'Running',
    createdAt: now,
    updatedAt: now,
    options: {'node-count': 3, region: 'east-1'},
    info: {
      version: 'v1.30.2', serviceAccountToken: blob(900, 0), endpoint: `https://${name}.invalid`, username: '', password: '',
      rootCaCertificate: blob(1400, 1), clientCertificate: blob(1400, 2), clientKey: blob(1700, 3), nodeCount: 3,
      metadata: {state: JSON.stringify({nodePools: Array.from({length: 40}, (_, n) => ({id: `np-${n}-${Buffer.alloc(150, n).toString('base64')}`, nodes: 3}))})}, status: 'Running', createError: '',
    },
    history: [{at: now, status: 'Pre-Creating', command: 'create'}, {at: now, status: 'Running', command: 'create'}],
  }
}

// bin/run.js runs `ke create`, `rm` and every other command on one cluster (`env`, `kubeconfig`,
// `inspect`, `logs`, `update`, `capabilities`, `version`, `size`, `etcd`) without loading oclif
// (src/cli/direct.ts). Whatever the form, the user sees what the oclif command prints: the same stdout,
// stderr and exit code, errors included.
// KE_DIRECT=0 sends every command line through oclif: each form runs both ways, each in a home of its own.
import assert from 'node:assert/strict'
import {cpSync, existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {loadedBundles, OCLIF_BUNDLE, makeHome, runKe, type KeResult} from '../support/ke.js'

/** What differs between two creates of the same cluster: times, the sample cloud's ids and tokens, the home. */
function withoutRunFactsIn(text: string, home: string): string {
  return text
    // a driver start that lost its port to another process before binding it, and ke's retry: a run fact too
    .replace(/\[ke\] started [^\n]*\n(?:(?!\[ke\] )[^\n]*\n|\[ke\] driver exited[^\n]*\n)*\[ke\] port \d+ was taken before the driver bound it; retrying on a new port\n/g, '')
    .replaceAll(home, '<HOME>')
    .replace(/^\d\d:\d\d:\d\d /gm, 'HH:MM:SS ')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<TIME>')
    .replace(/\(\d+(\.\d+)?s\)/g, '(<SECONDS>)')
    .replace(/c-[0-9a-f]{8}/g, 'c-<ID>')
    .replace(/sample-token-[0-9a-f]+/g, '<TOKEN>')
    // a driver log's notes
    .replace(/\(pid \d+\)/g, '(pid <PID>)')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<PORT>')
}

/** What a command line shows and what it leaves in the home: each cluster's files (its record, its driver log, ...). */
interface Seen extends KeResult {
  stored: Record<string, string>
}

function seenIn(result: KeResult, home: string): Seen {
  const clusters = join(home, 'clusters')
  const files = existsSync(clusters) ? readdirSync(clusters, {recursive: true, encoding: 'utf8'}).filter((file) => statSync(join(clusters, file)).isFile()) : []
  const stored = Object.fromEntries(files.sort().map((file) => [file, withoutRunFactsIn(readFileSync(join(clusters, file), 'utf8'), home)]))
  return {...result, stdout: withoutRunFactsIn(result.stdout, home), stderr: withoutRunFactsIn(result.stderr, home), stored}
}

/**
 * Homes where a setup ran (through oclif), each made once, on first use, and copied for each run: most
 * forms start from the same created cluster, and creating it anew for each took most of this file's time.
 */
const setupHomes = new Map<string, Promise<{home: string; dispose: () => void}>>()
after(async () => {
  for (const made of setupHomes.values()) (await made).dispose()
})

function homeAfter(setup: string[][]): Promise<{home: string; dispose: () => void}> {
  const key = JSON.stringify(setup)
  let made = setupHomes.get(key)
  if (!made) {
    made = (async () => {
      const template = makeHome()
      for (const step of setup) {
        const prepared = await runKe(step, {home: template.home, env: {KE_DIRECT: '0'}})
        assert.equal(prepared.code, 0, prepared.stderr)
      }
      return template
    })()
    setupHomes.set(key, made)
  }
  return made
}

/**
 * Runs `args` in two copies of the home `setup` left (each its own), once without oclif and once
 * through it: what a command changes is seen once per home.
 */
async function bothWaysFresh(args: string[], setup: string[][] = [], env: Record<string, string> = {}): Promise<{fast: Seen; oclif: Seen}> {
  const template = await homeAfter(setup)
  const homes = [makeHome(), makeHome()]
  try {
    const [fast, oclif] = await Promise.all(
      homes.map(async ({home}, i) => {
        cpSync(template.home, home, {recursive: true})
        return seenIn(await runKe(args, {home, env: i === 0 ? env : {...env, KE_DIRECT: '0'}}), home)
      }),
    )
    return {fast, oclif}
  } finally {
    for (const {dispose} of homes) dispose()
  }
}

describe('ke create, rm and the other commands on one cluster without oclif', () => {
  const sample = ['create', '--driver', 'sample']
  const forms: Array<{args: string[]; setup?: string[][]; env?: Record<string, string>}> = [
    {args: [...sample, 'alpha']},
    {args: [...sample, '--node-count', '5', '--labels', 'env=dev,team=a', '--display-name', 'Alpha', 'alpha']},
    {args: [...sample, '--json', 'alpha']},
    {args: [...sample, '--quiet', 'alpha']},
    {args: [...sample, '--dry-run', 'alpha']},
    {args: [...sample, '--private=false', 'alpha']},
    {args: [...sample, '--', 'alpha']},
    // refused: running already, bad values, unknown and misspelled flags, no name, a bad name, no driver
    {args: [...sample, 'alpha'], setup: [[...sample, 'alpha']]},
    {args: [...sample, '--node-count', 'x', 'alpha']},
    {args: [...sample, '--nodes', '3', 'alpha']},
    {args: ['create', '--drivr', 'sample', 'alpha']},
    {args: [...sample, '--timeout', '0', 'alpha']},
    {args: [...sample]},
    {args: [...sample, 'Not_A_Name']},
    {args: ['create', 'alpha']},
    {args: ['create', '--driver', './no-such-driver', 'alpha']},
    {args: [...sample, '--json', '--node-count', 'x', 'alpha']},
    {args: [...sample, 'alpha'], env: {KE_CONTENT_TYPE: 'json'}},
    // rm: one, several, missing ones, the alias, no confirmation, JSON
    {args: ['rm', '-y', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['remove', '--yes', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['rm', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['rm', '-y', 'alpha', 'nope', 'beta'], setup: [[...sample, 'alpha'], [...sample, 'beta']]},
    {args: ['rm', '-y', '--json', 'alpha', 'nope'], setup: [[...sample, 'alpha']]},
    {args: ['rm', '-y', '--ignore-not-found', 'nope']},
    {args: ['rm', '-y', 'nope']},
    {args: ['rm']},
    {args: ['rm', '-y', '--frce', 'alpha']},
    // env: the export line, the line alone, JSON; refused: no such cluster, no name, an unknown flag
    {args: ['env', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['env', '--quiet', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['env', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['env', 'nope']},
    {args: ['env']},
    {args: ['env', '--bogus', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['env', 'alpha'], setup: [[...sample, 'alpha']], env: {KE_CONTENT_TYPE: 'json'}},
    // kubeconfig: the YAML, as JSON; refused: no such cluster, no name, an unknown flag
    {args: ['kubeconfig', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['kubeconfig', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['kubeconfig', 'nope']},
    {args: ['kubeconfig']},
    {args: ['kubeconfig', '--bogus', 'alpha'], setup: [[...sample, 'alpha']]},
    // inspect: redacted, as JSON, with its secrets; refused: no such cluster, no name, an unknown flag
    {args: ['inspect', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['inspect', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['inspect', '--show-secrets', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['inspect', '--json', '--show-secrets', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['inspect', 'nope']},
    {args: ['inspect']},
    {args: ['inspect', '--bogus', 'alpha'], setup: [[...sample, 'alpha']]},
    // logs: all of it, the last line, as JSON; refused: --follow with --json, a bad count, no such cluster, no name
    {args: ['logs', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '-n', '1', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '--json', '--lines', '2', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '--json', '-f', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '-n', 'x', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '--json=true', '-n', '1', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['logs', 'alpha', '--debug=false'], setup: [[...sample, 'alpha']]},
    {args: ['logs', 'nope']},
    {args: ['logs']},
    // what the driver answers: capabilities, version, node count, by topic and alias, as JSON; refused:
    // no such cluster, no name, an unknown flag, a driver that is not the cluster's
    {args: ['capabilities', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['capabilities', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['version', 'get', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['get-version', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['size', 'get', 'alpha'], setup: [[...sample, '--node-count', '4', 'alpha']]},
    {args: ['get-cluster-size', '--quiet', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['size', 'get', '--json', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['version', 'get', 'nope']},
    {args: ['size', 'get']},
    {args: ['capabilities', '--bogus', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['version', 'get', '--driver-timeout', 'x', 'alpha'], setup: [[...sample, 'alpha']]},
    // update: a change, its dry run, JSON; refused: an unknown flag, a bad value, no such cluster, no name
    {args: ['update', '--node-count', '5', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['update', '--dry-run', '--node-count', '6', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['update', '--json', '--node-count', '2', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['update', '--bogus', '3', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['update', '--node-count', 'x', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['update', 'nope']},
    {args: ['update']},
    {args: ['update', '--node-count', '2']},
    // what changes the cluster through its driver: node count, version, etcd snapshots, by topic and
    // alias; refused: a bad count, a missing argument, no such cluster
    {args: ['size', 'set', 'alpha', '4'], setup: [[...sample, 'alpha']]},
    {args: ['set-cluster-size', '--json', 'alpha', '2'], setup: [[...sample, 'alpha']]},
    {args: ['size', 'set', 'alpha', 'x'], setup: [[...sample, 'alpha']]},
    {args: ['version', 'set', 'alpha', 'v1.31.0'], setup: [[...sample, 'alpha']]},
    {args: ['set-version', '--quiet', 'alpha', 'v1.31.0'], setup: [[...sample, 'alpha']]},
    {args: ['etcd', 'save', 'alpha', 'nightly'], setup: [[...sample, 'alpha']]},
    {args: ['etcd', 'restore', '--json', 'alpha', 'nightly'], setup: [[...sample, 'alpha'], ['etcd', 'save', 'alpha', 'nightly']]},
    {args: ['etcd', 'remove', 'alpha', 'nightly'], setup: [[...sample, 'alpha'], ['etcd', 'save', 'alpha', 'nightly']]},
    {args: ['etcd', 'save', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['size', 'set', 'nope', '3']},
    {args: ['version', 'set']},
    {args: ['version', 'set', 'alpha'], setup: [[...sample, 'alpha']]},
    {args: ['etcd', 'save', '--', 'alpha', 'nightly'], setup: [[...sample, 'alpha']]},
    {args: ['size', '--quiet', 'set', 'alpha', '3'], setup: [[...sample, 'alpha']]},
    {args: ['etcd'], setup: [[...sample, 'alpha']]},
    {args: ['logs', '-n', '5', '--lines', '3', 'alpha'], setup: [[...sample, 'alpha']]},
  ]
  for (const {args, setup, env} of forms) {
    const title = `${setup ? `after ${setup.map((step) => `ke ${step.join(' ')}`).join(', ')}: ` : ''}ke ${args.join(' ')}${env ? ` with ${JSON.stringify(env)}` : ''}`
    it(`prints and stores the same for ${title}`, async () => {
      const {fast, oclif} = await bothWaysFresh(args, setup, env)
      assert.deepEqual(fast, oclif)
    })
  }

  it('compares what each form stores: a changed record, its history and its driver log', async () => {
    const {fast} = await bothWaysFresh(['update', '--node-count', '4', 'alpha'], [[...sample, 'alpha']])
    const record = JSON.parse(fast.stored[join('alpha', 'cluster.json')])
    assert.equal(record.info.nodeCount, 4)
    assert.deepEqual(record.history.map((entry: {status: string; command: string}) => `${entry.command} ${entry.status}`).slice(-3), ['update Updating', 'update Post-Checking', 'update Running'])
    assert.match(fast.stored[join('alpha', 'driver.log')], /--- <TIME> ke update alpha: driver sample ---/)
  })

  it('names every missing argument, in the plural when there are more than one, a flag given twice, and a name forgotten', async () => {
    const {home, dispose} = makeHome()
    try {
      const both = await runKe(['version', 'set'], {home})
      assert.equal(both.code, 2)
      assert.equal(both.stderr, 'Error: missing arguments NAME and VERSION (see `ke version set --help`)\n')
      const one = await runKe(['etcd', 'save', 'alpha'], {home})
      assert.equal(one.code, 2)
      assert.equal(one.stderr, 'Error: missing argument SNAPSHOT (see `ke etcd save --help`)\n')
      // and a flag given twice, in ke's words rather than oclif's
      const twice = await runKe(['logs', '-n', '5', '--lines', '3', 'alpha'], {home})
      assert.equal(twice.code, 2)
      assert.equal(twice.stderr, 'Error: --lines can be given only once (see `ke logs --help`)\n')
      // and a name forgotten after a driver flag, whose value was taken for it
      const forgotten = await runKe(['update', '--node-count', '2'], {home})
      assert.equal(forgotten.code, 3)
      assert.equal(forgotten.stderr, "Error: cluster 2 not found (see `ke ls` for the clusters ke knows; if 2 is a flag's value, put the cluster's name first: `ke update NAME ...`)\n")
    } finally {
      dispose()
    }
  })

  it('creates and removes a cluster for real: the record, then none', async () => {
    const {home, dispose} = makeHome()
    try {
      const created = await runKe([...sample, '--node-count', '4', 'alpha'], {home})
      assert.equal(created.code, 0, created.stderr)
      assert.match(created.stdout, /^Cluster alpha is Running \(driver sample, Kubernetes v[\d.]+, 4 nodes\)$/m)
      const record = JSON.parse(readFileSync(join(home, 'clusters', 'alpha', 'cluster.json'), 'utf8'))
      assert.equal(record.status, 'Running')
      assert.equal(record.options['node-count'], 4)
      const removed = await runKe(['rm', '-y', 'alpha'], {home})
      assert.equal(removed.code, 0, removed.stderr)
      assert.equal(removed.stdout, 'Removed alpha\n')
      assert.equal((await runKe(['ls', '-q'], {home})).stdout, '')
    } finally {
      dispose()
    }
  })

  it('writes the same kubeconfig files for ke env, and rm takes its entry out the same', async () => {
    const homes = [makeHome(), makeHome()]
    try {
      const files = await Promise.all(
        homes.map(async ({home}, i) => {
          const env = i === 0 ? {} : {KE_DIRECT: '0'}
          for (const name of ['alpha', 'beta']) assert.equal((await runKe([...sample, name], {home, env: {KE_DIRECT: '0'}})).code, 0)
          for (const name of ['alpha', 'beta']) assert.equal((await runKe(['env', name], {home, env})).code, 0)
          const paths = [join(home, 'clusters', 'alpha', 'kubeconfig'), join(home, 'clusters', 'beta', 'kubeconfig'), join(home, 'kubeconfig')]
          const read = (path: string) => withoutRunFactsIn(readFileSync(path, 'utf8'), home)
          const written = paths.map((path) => ({mode: statSync(path).mode & 0o777, text: read(path)}))
          assert.equal((await runKe(['rm', '-y', 'alpha'], {home, env})).code, 0)
          return {written, afterRm: read(join(home, 'kubeconfig'))}
        }),
      )
      assert.deepEqual(files[0], files[1])
      assert.deepEqual(files[0].written.map((file) => file.mode), [0o600, 0o600, 0o600])
      assert.match(files[0].written[2].text, /name: alpha[\s\S]*name: beta/)
      assert.doesNotMatch(files[0].afterRm, /alpha/)
      assert.match(files[0].afterRm, /name: beta/)
    } finally {
      for (const {dispose} of homes) dispose()
    }
  })

  it('loads no oclif and no ES module for the commands it runs, and oclif for their help', async () => {
    const {home, dispose} = makeHome()
    try {
      const reads = [['logs', 'alpha'], ['capabilities', 'alpha'], ['version', 'get', 'alpha'], ['size', 'get', 'alpha'], ['get-version', 'alpha']]
      const changes = [['update', '--node-count', '4', 'alpha'], ['size', 'set', 'alpha', '3'], ['version', 'set', 'alpha', 'v1.31.0'], ['etcd', 'save', 'alpha', 'nightly']]
      for (const args of [[...sample, 'alpha'], ['env', 'alpha'], ['kubeconfig', 'alpha'], ['inspect', 'alpha'], ...reads, ...changes, ['rm', '-y', 'alpha']]) {
        const loaded = await loadedBundles(home, args)
        // nothing but CommonJS: the direct commands and the packages they load, never oclif or an ES module
        assert.ok(loaded.includes('direct/direct-loader.cjs') && !loaded.includes(OCLIF_BUNDLE) && loaded.every((file) => file.endsWith('.cjs')), `${args.join(' ')}: ${loaded.join(' ')}`)
        // kubeconfig files need client-node's KubeConfig alone (kube/client-config.ts), not the whole client
        assert.ok(!loaded.includes('direct/lazy/kubernetes-client-node.cjs'), `${args.join(' ')}: ${loaded.join(' ')}`)
        if (['env', 'kubeconfig', 'rm'].includes(args[0])) assert.ok(loaded.includes('direct/lazy/kube-client-config.cjs'), `${args.join(' ')}: ${loaded.join(' ')}`)
        // a driver's calls need grpc-js's client half alone (protocol/grpc-modules.ts)
        if (!['env', 'kubeconfig', 'inspect', 'logs'].includes(args[0])) assert.ok(loaded.includes('vendor/grpc-client.cjs') && !loaded.includes('vendor/grpc.cjs'), `${args.join(' ')}: ${loaded.join(' ')}`)
      }
      for (const args of [[...sample, '--help'], ['env', '--help'], ['kubeconfig', '-h'], ['inspect', '--help'], ['rm', '-h'], ['logs', '--help'], ['version', 'get', '-h'], ['update', 'alpha', '--help'], ['etcd', 'save', '-h']]) {
        const loaded = await loadedBundles(home, args)
        // oclif and the commands from one CommonJS file, as the direct commands: no ES module either
        assert.ok(loaded.includes(OCLIF_BUNDLE) && loaded.every((file) => file.endsWith('.cjs')), `${args.join(' ')}: ${loaded.join(' ')}`)
      }
      assert.ok((await loadedBundles(home, ['rm', '-y', '--ignore-not-found', 'alpha'], {KE_DIRECT: '0'})).includes(OCLIF_BUNDLE))
    } finally {
      dispose()
    }
  })
})

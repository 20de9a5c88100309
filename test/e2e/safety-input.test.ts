// Issue 6, input: every bad invocation is refused as a usage (2) or not-found (3) error, in one line
// on stderr, without a stack trace, and without changing anything under KE_HOME. The invocations are
// generated from lists of bad values crossed with the commands that take them.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeHome, runKe, type KeResult} from '../support/ke.js'

interface Invocation {
  args: string[]
  env?: Record<string, string>
}

const PARALLEL = 4

/** Names that must never become a directory or a kube context: path tricks, case, length, unicode. */
const BAD_NAMES = [
  '../x', '..', '.', './x', 'a/b', '/etc', '', ' ', 'x ', 'UPPER', 'Mixed-Case', 'a_b', 'a.b', '-lead', 'trail-',
  'x'.repeat(64), 'y'.repeat(300), 'ünïcode', '名前', 'emoji-😀', 'a\nb', 'a\\b', '~', '$HOME', 'a*', '%2e%2e',
]

/** Commands that take a cluster name and fail on it before anything else. */
const NAME_COMMANDS: Array<(name: string) => string[]> = [
  (n) => ['rm', '-y', n],
  (n) => ['rm', '-f', '-y', n],
  (n) => ['inspect', n],
  (n) => ['kubeconfig', n],
  (n) => ['env', n],
  (n) => ['logs', n],
  (n) => ['version', 'get', n],
  (n) => ['version', 'set', n, 'v1.30.0'],
  (n) => ['size', 'get', n],
  (n) => ['size', 'set', n, '3'],
  (n) => ['etcd', 'save', n, 'snap'],
  (n) => ['update', n],
]

/** Whole-number inputs that are not a usable count of seconds, lines or nodes. */
const BAD_INTS = ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '-99999999999999999999', '0x10', '', '٣', '3abc']

function nameCases(): Invocation[] {
  // each name meets three commands, rotating, so every command sees many kinds of bad name
  return BAD_NAMES.flatMap((name, i) => [0, 4, 8].map((k) => ({args: NAME_COMMANDS[(i + k) % NAME_COMMANDS.length](name)})))
}

function intCases(): Invocation[] {
  return BAD_INTS.flatMap((value) => [
    {args: ['size', 'get', 'existing', '--timeout', value]},
    {args: ['rm', '-y', 'existing', '--driver-timeout', value]},
    // no lines at all is a fine request for a log, and whether a cluster may have no nodes is the driver's call
    ...(value === '0' ? [] : [{args: ['logs', 'existing', '-n', value]}, {args: ['size', 'set', 'existing', value]}]),
  ])
}

function flagCases(): Invocation[] {
  return [
    // unknown flags
    {args: ['ls', '--bogus']},
    {args: ['ls', '-z']},
    {args: ['inspect', 'existing', '--nope']},
    {args: ['rm', '--yes-please', 'existing']},
    {args: ['version', 'get', 'existing', '--verbose']},
    {args: ['size', 'get', 'existing', '--x=1']},
    {args: ['etcd', 'save', 'existing', 'snap', '--zzz']},
    {args: ['logs', 'existing', '--tail', '3']},
    {args: ['env', 'existing', '--shell', 'fish']},
    {args: ['kubeconfig', 'existing', '--output', 'x']},
    {args: ['ls', '--json', '--jsonn']},
    {args: ['frobnicate']},
    // flags that lack their value
    {args: ['ls', '--filter']},
    {args: ['logs', 'existing', '-n']},
    {args: ['rm', '-y', 'existing', '--timeout']},
    {args: ['size', 'get', 'existing', '--driver-timeout']},
    {args: ['rm', '-y', 'existing', '--attach']},
    {args: ['create', '--driver']},
    // bad --filter
    {args: ['ls', '--filter', 'nokey']},
    {args: ['ls', '--filter', 'color=red']},
    {args: ['ls', '--filter', '=x']},
    {args: ['ls', '--filter', '']},
    {args: ['ls', '--filter', 'status']},
    // bad addresses and environment entries for the driver
    {args: ['size', 'get', 'existing', '--attach', '10.0.0.1:80']},
    {args: ['size', 'get', 'existing', '--attach', '127.0.0.1:0']},
    {args: ['size', 'get', 'existing', '--attach', '127.0.0.1:99999']},
    {args: ['size', 'get', 'existing', '--attach', 'localhost']},
    {args: ['size', 'get', 'existing', '--env', 'NOEQUALS']},
    {args: ['size', 'get', 'existing', '--env', '=value']},
    // arguments where none or fewer belong
    {args: ['inspect', 'existing', 'extra']},
    {args: ['ls', 'extra']},
    {args: ['version', 'set', 'existing']},
    {args: ['size', 'set', 'existing']},
    {args: ['etcd', 'save', 'existing']},
    {args: ['rm', 'existing']},
    {args: ['create', 'no-driver-given']},
  ]
}

function missingClusterCases(): Invocation[] {
  return [
    ['rm', '-y', 'ghost'],
    ['inspect', 'ghost'],
    ['kubeconfig', 'ghost'],
    ['env', 'ghost'],
    ['logs', 'ghost'],
    ['version', 'get', 'ghost'],
    ['version', 'set', 'ghost', 'v1.30.0'],
    ['size', 'get', 'ghost'],
    ['size', 'set', 'ghost', '3'],
    ['etcd', 'save', 'ghost', 'snap'],
    ['etcd', 'restore', 'ghost', 'snap'],
    ['etcd', 'remove', 'ghost', 'snap'],
    ['update', 'ghost', '--node-count', '3'],
    ['access', 'ghost'],
    ['capabilities', 'ghost'],
    ['create', '--driver', 'no-such-driver', 'ghost'],
    ['create', '--driver', './no/such/kontainer-engine-driver-x', 'ghost'],
  ].map((args) => ({args}))
}

/** Bad configs are read after the driver declared its options, so these start the sample driver. */
function configFiles(dir: string): string[] {
  const files: Record<string, string> = {
    'broken.json': '{"region": "eu-1",',
    'broken.yaml': 'region: [eu-1\nnode-count: 3\n',
    'tabs.yaml': 'region:\n\t- eu-1\n',
    'list.yaml': '- region\n- eu-1\n',
    'list.json': '["region", "eu-1"]',
    'scalar.json': '42',
    'string.yaml': 'just a sentence\n',
    'bad-int.json': '{"node-count": "many"}',
    'float-int.json': '{"node-count": 2.5}',
    'huge-int.json': '{"node-count": 1e400}',
    'map-for-int.yaml': 'node-count:\n  - 3\n',
    'duplicate.yaml': 'region: a\nregion: b\n',
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  mkdirSync(join(dir, 'a-directory.yaml'))
  return [...Object.keys(files), 'a-directory.yaml', 'missing.yaml'].map((name) => join(dir, name))
}

function driverCases(configs: string[], configDir: string): Invocation[] {
  const create = (...rest: string[]) => ({args: ['create', '--driver', 'sample', ...rest]})
  return [
    ...['../x', 'a/b', 'x'.repeat(64), 'ünïcode'].map((name) => create(name)),
    ...['abc', '1.5', '99999999999999999999', '-99999999999999999999', ''].map((value) => create('--node-count', value, 'x')),
    create('--enable-logging=maybe', 'x'),
    create('--bogus', 'x'),
    create('--node-cuont', '3', 'x'),
    create('x', '--config'),
    create('x', '--key-style'),
    ...['weird', '', 'CAMEL'].map((style) => create('--key-style', style, 'x')),
    ...configs.map((file) => create('--config', file, 'x')),
    {args: ['create', '--driver', 'sample', 'x'], env: {KE_OPT_NODE_COUNT: 'lots'}},
    // an existing cluster: a refused update must not touch its record or its driver log either
    {args: ['update', 'existing', '--node-count', 'abc']},
    {args: ['update', 'existing', '--bogus']},
    {args: ['update', 'existing', '--config', join(configDir, 'broken.json')]},
  ]
}

/** Every entry under `root`: files by mode, size, mtime and content; directories by name and mode. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      const stat = statSync(path, {bigint: true})
      const mode = (stat.mode & 0o7777n).toString(8)
      if (entry.isDirectory()) {
        // a directory's mtime moves when ke's record of a running driver comes and goes (see README Safety)
        out.set(path.slice(root.length), `dir ${mode}`)
        walk(path)
      } else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex')
        out.set(path.slice(root.length), `file ${mode} ${stat.size} ${stat.mtimeNs} ${hash}`)
      }
    }
  }
  walk(root)
  return out
}

function describeInvocation(invocation: Invocation): string {
  const env = invocation.env ? `${Object.entries(invocation.env).map(([k, v]) => `${k}=${v}`).join(' ')} ` : ''
  return `${env}ke ${invocation.args.map((arg) => JSON.stringify(arg)).join(' ')}`
}

/** What is wrong with how `ke` refused the invocation; empty when it was refused properly. */
function problemsWith(result: KeResult, before: Map<string, string>, afterwards: Map<string, string>): string[] {
  const problems: string[] = []
  if (result.code !== 2 && result.code !== 3) problems.push(`exit ${result.code} (signal ${result.signal})`)
  const lines = result.stderr.split('\n')
  if (!(lines.length === 2 && lines[1] === '' && lines[0].trim() !== '')) problems.push(`stderr is not exactly one line: ${JSON.stringify(result.stderr)}`)
  if (result.stderr.includes('\n    at ')) problems.push('stack trace on stderr')
  const changed = [...new Set([...before.keys(), ...afterwards.keys()])].filter((path) => before.get(path) !== afterwards.get(path))
  if (changed.length > 0) problems.push(`KE_HOME changed: ${changed.map((path) => `${path} (${before.get(path) ?? 'absent'} -> ${afterwards.get(path) ?? 'absent'})`).join(', ')}`)
  return problems
}

/** Runs every invocation in its own copy of `template`, PARALLEL at a time; returns the failures. */
async function refuseAll(template: string, invocations: Invocation[]): Promise<string[]> {
  const failures: string[] = []
  const work = mkdtempSync(join(tmpdir(), 'ke-fuzz-'))
  let next = 0
  const worker = async () => {
    while (next < invocations.length) {
      const index = next++
      const invocation = invocations[index]
      const home = join(work, String(index))
      cpSync(template, home, {recursive: true, preserveTimestamps: true})
      const before = snapshot(home)
      const result = await runKe(invocation.args, {home, env: invocation.env, timeoutMs: 60_000})
      const problems = problemsWith(result, before, snapshot(home))
      if (problems.length > 0) failures.push(`${describeInvocation(invocation)}\n    ${problems.join('\n    ')}`)
      rmSync(home, {recursive: true, force: true})
    }
  }
  await Promise.all(Array.from({length: PARALLEL}, worker))
  rmSync(work, {recursive: true, force: true})
  return failures
}

describe('bad input', () => {
  let template: string
  let dispose: () => void
  let configDir: string
  let configs: string[]

  before(async () => {
    // Given a KE_HOME holding one running cluster, `existing`
    ;({home: template, dispose} = makeHome('ke-fuzz-template-'))
    const created = await runKe(['create', '--driver', 'sample', 'existing'], {home: template})
    assert.equal(created.code, 0, created.stderr)
    configDir = mkdtempSync(join(tmpdir(), 'ke-fuzz-config-'))
    configs = configFiles(configDir)
  })
  after(() => {
    dispose()
    rmSync(configDir, {recursive: true, force: true})
  })

  it('generates at least 200 bad invocations', () => {
    const total = nameCases().length + intCases().length + flagCases().length + missingClusterCases().length + driverCases(configs, configDir).length
    assert.ok(total >= 200, `only ${total} invocations`)
  })

  it('refuses bad cluster names (path tricks, empty, over-long, unicode, upper case) in one line, changing nothing', async () => {
    // When each bad name is given to commands that take a cluster name
    const failures = await refuseAll(template, nameCases())
    // Then each is refused with exit 2 or 3, one line, no stack, KE_HOME untouched
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`)
  })

  it('refuses bad whole numbers (overflow, fractions, hex, empty, other digits) for ke flags and arguments', async () => {
    const failures = await refuseAll(template, intCases())
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`)
  })

  it('refuses unknown flags, flags without their value, bad filters, addresses and extra arguments', async () => {
    const failures = await refuseAll(template, flagCases())
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`)
  })

  it('refuses commands on clusters and drivers that do not exist with exit 3', async () => {
    const failures = await refuseAll(template, missingClusterCases())
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`)
  })

  it('refuses bad driver option values and broken --config files after asking the driver for its options, changing nothing', async () => {
    // When the bad value can only be judged against the options the driver declares
    const failures = await refuseAll(template, driverCases(configs, configDir))
    // Then it is refused as well, and the driver's start leaves no trace in KE_HOME
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`)
  })
})

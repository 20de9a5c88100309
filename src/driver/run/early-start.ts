// Starting the driver before oclif loads. bin/run.js reads the command and the driver from argv
// (`create --driver X`) or from the cluster's record (`rm NAME`) and starts the driver exactly as
// launch.ts would, so that ke's own start-up and the driver's overlap. launchDriver adopts the process
// only when the executable, its arguments and its environment are the very ones it would start;
// otherwise (another driver after all, --env, a rejected command) the process is stopped at exit.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'
import {buildDriverEnv} from './env.js'
import {locateDriver, type DriverCommand} from '../install/locate.js'
import {forgetDriver, recordDriverOrStop, type EarlierRecord} from './orphans.js'
import {signalGroup} from '../../os/processes.js'
import {DRIVER_SECRET_ENV, newDriverSecret} from '../../protocol/secret.js'
import {DRIVER_FLAG, DRIVER_START_FLAGS} from './start-flags.js'
import {pickFreePort} from './ports.js'

interface EarlyDriver {
  command: string
  args: string[]
  envKey: string
  port: number
  child: ChildProcess
  output: string[]
  failed: boolean
  runDir: string
  /** The driver secret it was started with (driver/secret.ts): the one ke must send once it adopts it. */
  secret: string
  /** Its record in runDir, which launch.ts's record replaces once it is adopted. */
  record?: EarlierRecord
}

export interface AdoptedDriver {
  child: ChildProcess
  port: number
  /** What it printed before it was adopted, for the driver log. */
  output: string[]
  secret: string
  /** Its record under run/, as the early start wrote it: launch.ts records it anew, with its cluster. */
  record?: EarlierRecord
}

/** One per process, whichever copy of this module bin/run.js and the command load. */
const SLOT = Symbol.for('ke.earlyDriver')
type Slot = {[SLOT]?: EarlyDriver}

/** Commands that take the driver from the cluster's record, named first; the cluster comes next. */
const CLUSTER_COMMANDS = new Set(['rm', 'remove', 'update', 'capabilities', 'get-version', 'set-version', 'get-cluster-size', 'set-cluster-size'])
/** Topics of such commands: the first word after them names the command, the cluster comes after it. */
const CLUSTER_TOPICS = new Set(['version', 'size', 'etcd'])
/** Flags that change how or whether the driver starts: then ke starts it itself, after parsing. */
const LATE_FLAGS = new RegExp(`^--(${[...DRIVER_START_FLAGS, 'help', 'dry-run'].join('|')})(=|$)|^-h$`)
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** The environment as launch.ts would build it, but for the secret, which is fresh in every start. */
function envKey(env: NodeJS.ProcessEnv): string {
  return JSON.stringify(Object.entries(env).filter(([key]) => key !== DRIVER_SECRET_ENV).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** A guess at `--driver X`, `--driver=X`, `-d X` or `-dX`: whatever it finds is checked before use. */
function driverFlagValue(argv: string[]): string | undefined {
  const {name, char} = DRIVER_FLAG
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` || argv[i] === `-${char}`) return argv[i + 1]
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3)
    if (argv[i].startsWith(`-${char}`) && argv[i].length > 2) return argv[i].slice(2)
  }
  return undefined
}

function storedDriverRef(home: string, name: string | undefined): string | undefined {
  if (!name || !CLUSTER_NAME.test(name)) return undefined
  try {
    const record = JSON.parse(readFileSync(join(home, 'clusters', name, 'cluster.json'), 'utf8'))
    return typeof record?.driver?.ref === 'string' && !record.driver.attached ? record.driver.ref : undefined
  } catch {
    return undefined
  }
}

/** The driver `argv` will start, when it can be told without oclif; undefined when unsure. */
function driverRefFor(argv: string[], home: string): string | undefined {
  const [command, ...rest] = argv
  if (rest.some((arg) => LATE_FLAGS.test(arg))) return undefined
  const given = driverFlagValue(rest)
  const words = rest.filter((arg) => !arg.startsWith('-'))
  // a cluster bound to another driver is refused before that driver may start: not early either
  if (given !== undefined && words.some((word) => isBoundElsewhere(home, word, given))) return undefined
  if (command === 'create') return given
  if (CLUSTER_TOPICS.has(command)) words.shift()
  else if (!CLUSTER_COMMANDS.has(command)) return undefined
  return given ?? storedDriverRef(home, words[0])
}

/** Whether `word` names a stored cluster whose driver is not exactly `given` (a moved copy starts late). */
function isBoundElsewhere(home: string, word: string, given: string): boolean {
  const stored = storedDriverRef(home, word)
  return stored !== undefined && stored !== given && stored !== resolve(given)
}

/**
 * Whether the records live elsewhere than $KE_HOME (`--store kubernetes…` or KE_STORE): whether the
 * cluster is busy or bound to another driver is then known only to the API server, so ke starts late.
 */
function usesRemoteStore(argv: string[], env: NodeJS.ProcessEnv): boolean {
  const at = argv.findIndex((arg) => arg === '--store' || arg.startsWith('--store='))
  const spec = at === -1 ? env.KE_STORE : argv[at] === '--store' ? argv[at + 1] : argv[at].slice('--store='.length)
  return spec !== undefined && spec !== '' && spec !== 'file'
}

/** Whether a word of argv names a cluster whose lock file exists (held or stale: either way, start late). */
function namesLockedCluster(argv: string[], home: string): boolean {
  return argv.some((word) => CLUSTER_NAME.test(word) && existsSync(join(home, 'locks', `${word}.lock`)))
}

/** Starts the driver `argv` will need, if it can tell which; never throws (ke then starts it later). */
export async function startDriverEarly(argv: string[]): Promise<void> {
  try {
    const home = resolve(process.env.KE_HOME || join(homedir(), '.ke'))
    if (usesRemoteStore(argv, process.env)) return
    const ref = driverRefFor(argv, home)
    // a busy cluster turns this ke away before any driver starts: none may start early for it either
    if (!ref || namesLockedCluster(argv, home)) return
    const driver: DriverCommand = locateDriver(ref, {home, cwd: process.cwd(), path: process.env.PATH})
    const secret = newDriverSecret()
    const env = buildDriverEnv(process.env, {secret, unused: driver.unusedEnv})
    const port = await pickFreePort()
    // before the driver exists: from its start on, a signal must not kill ke outright (no handler = default action)
    holdStopSignalsForKe()
    // as launch.ts starts it: own process group, output piped
    const child = spawn(driver.command, [...driver.args, String(port)], {env, stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    const early: EarlyDriver = {command: driver.command, args: driver.args, envKey: envKey(env), port, child, output: [], failed: false, runDir: join(home, 'run'), secret}
    child.once('error', () => (early.failed = true))
    if (child.pid === undefined) return
    for (const stream of [child.stdout, child.stderr]) stream?.setEncoding('utf8').on('data', (chunk: string) => early.output.push(chunk))
    // until adopted, it must not keep ke alive
    child.unref()
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as {unref(): void}).unref()
    early.record = recordDriverOrStop(early.runDir, {pid: child.pid, driver: driver.display, port})
    ;(globalThis as Slot)[SLOT] = early
    process.once('exit', stopUnadopted)
  } catch {
    // ke starts the driver itself and reports whatever is wrong
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

const HELD = Symbol.for('ke.heldStopSignals')
type Held = {[HELD]?: {holders: Map<NodeJS.Signals, () => void>; held?: NodeJS.Signals}}

/**
 * A driver now runs before ke's own signal handlers (driver/supervisor.ts) exist. A Ctrl-C in that
 * time is held, and delivered again once they listen (releaseStopSignals): ke then stops the driver
 * and exits as it does for a signal while a driver starts, rather than dying and leaving it behind.
 */
function holdStopSignalsForKe(): void {
  const state: NonNullable<Held[typeof HELD]> = {holders: new Map()}
  for (const signal of STOP_SIGNALS) {
    const hold = () => void (state.held ??= signal)
    state.holders.set(signal, hold)
    process.on(signal, hold)
  }
  ;(globalThis as Held)[HELD] = state
}

/** Called once ke's own handlers listen: they alone decide from here on, starting with a held signal. */
export function releaseStopSignals(): void {
  const state = (globalThis as Held)[HELD]
  if (!state) return
  delete (globalThis as Held)[HELD]
  for (const [signal, hold] of state.holders) process.off(signal, hold)
  if (state.held) process.kill(process.pid, state.held)
}

function stopUnadopted(): void {
  const early = (globalThis as Slot)[SLOT]
  if (!early?.child.pid) return
  delete (globalThis as Slot)[SLOT]
  signalGroup(early.child.pid, 'SIGTERM')
  forgetDriver(early.runDir, early.child.pid)
}

/** The early driver, when it is exactly the process launchDriver would start now; taken once. */
export function adoptEarlyDriver(command: DriverCommand, env: NodeJS.ProcessEnv): AdoptedDriver | undefined {
  const early = (globalThis as Slot)[SLOT]
  if (!early) return undefined
  const same = early.command === command.command && JSON.stringify(early.args) === JSON.stringify(command.args) && early.envKey === envKey(env)
  const alive = !early.failed && early.child.exitCode === null && early.child.signalCode === null
  if (!same || !alive) {
    stopUnadopted()
    return undefined
  }
  delete (globalThis as Slot)[SLOT]
  process.removeListener('exit', stopUnadopted)
  const {child} = early
  // its record stays: launch.ts writes it anew, with the cluster and as the owner of the directories
  // it made (so that a refused command still leaves KE_HOME as it was)
  for (const stream of [child.stdout, child.stderr]) {
    stream?.removeAllListeners('data')
    ;(stream as unknown as {ref(): void}).ref()
  }
  child.ref()
  return {child, port: early.port, output: early.output, secret: early.secret, record: early.record}
}

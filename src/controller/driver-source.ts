// Drivers for reconciles: resolved as the CLI resolves `--driver`; a spec with `driver.url` is installed
// on first use with `ke driver install`'s code (checksum verified) and shared by every cluster naming it.
import {existsSync} from 'node:fs'
import {KeError, isKeError} from '../errors.js'
import {silentProgress} from '../cluster/deps.js'
import type {SessionDriver} from '../cluster/flow.js'
import {installDriver} from '../driver/install/install.js'
import {driverPath, readInstalled} from '../driver/install/installed.js'
import {openDriver, type SessionContext} from '../driver/run/session.js'
import type {ClusterSpec} from '../store/kubernetes/cluster-object.js'

export type DriverSpec = ClusterSpec['driver']

export interface OpenFor {
  cluster: string
  /** The cluster's driver log on this machine. */
  logFile: string
}

export class DriverSource {
  /** One install per (name, url, checksum) at a time, shared by the clusters that name it. */
  private readonly installs = new Map<string, Promise<void>>()
  private open = 0

  constructor(
    private readonly ctx: SessionContext,
    private readonly onRunning: (count: number) => void = () => {},
  ) {}

  /** Starts the spec's driver (installing it first when it names a URL); the caller stops it with stop(). */
  async start(spec: DriverSpec, opts: OpenFor): Promise<SessionDriver> {
    if (spec.url) await this.ensureInstalled(spec)
    const driver = (await openDriver(this.ctx, {ref: spec.name, cluster: opts.cluster, command: 'controller', logFile: opts.logFile}).catch((error: unknown) => {
      throw withSpecHint(error)
    })) as SessionDriver
    driver.forCluster(opts.cluster)
    this.onRunning(++this.open)
    return driver
  }

  async stop(driver: SessionDriver): Promise<void> {
    try {
      await this.ctx.supervisor.stop(driver)
    } finally {
      this.onRunning(--this.open)
    }
  }

  private ensureInstalled(spec: DriverSpec): Promise<void> {
    const key = JSON.stringify([spec.name, spec.url, spec.checksum])
    let pending = this.installs.get(key)
    if (!pending) {
      pending = this.install(spec)
      this.installs.set(key, pending)
      // a failed install is tried again by the next reconcile that needs it
      pending.catch(() => this.installs.delete(key))
    }
    return pending
  }

  private async install(spec: DriverSpec): Promise<void> {
    const {home} = this.ctx
    const installed = readInstalled(home)[spec.name]
    const present = installed !== undefined && existsSync(driverPath(home, spec.name))
    if (present && (!spec.checksum || installed.checksum.hex === spec.checksum.toLowerCase())) return
    // the spec's URL and checksum are what the cluster runs: another build of that name is replaced
    await installDriver({home, progress: silentProgress, signal: this.ctx.supervisor.signal}, {url: spec.url!, name: spec.name, checksum: spec.checksum, force: true})
  }
}

/** A driver not found, told to whoever wrote the Cluster: they have no --driver flag, but spec.driver. */
function withSpecHint(error: unknown): unknown {
  if (!isKeError(error) || error.keCode !== 'DRIVER_NOT_FOUND') return error
  return new KeError(error.keCode, error.message, {
    driver: error.driver,
    cause: error,
    hint: 'give spec.driver.url (and spec.driver.checksum) for the controller to install it, install it where the controller runs (`ke driver install URL`), or name a built-in: sample, import',
  })
}

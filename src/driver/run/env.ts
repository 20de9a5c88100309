// The driver's environment, built in one place. Drivers read cloud credentials, proxies and
// INJECTED_KUBECONFIG from it, so the user's environment passes through, but for what a built-in driver
// never reads (its unusedEnv, install/locate.ts); process.env is never changed.
import {DRIVER_SECRET_ENV} from '../../protocol/secret.js'

const RANCHER_PASSED = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']

export interface DriverEnvOptions {
  /** Added on top (--env, --env-file). */
  extra?: Record<string, string>
  /** Run as Rancher does: PATH=/usr/bin and proxy variables only. */
  rancher?: boolean
  /** Left out of what the driver inherits; still set when given in `extra`. */
  unused?: readonly string[]
  /** The secret this driver must require on every call (driver/secret.ts); set last, so nothing overrides it. */
  secret?: string
}

export function buildDriverEnv(base: NodeJS.ProcessEnv, opts: DriverEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  if (opts.rancher) {
    env.PATH = '/usr/bin'
    for (const key of RANCHER_PASSED) if (base[key] !== undefined) env[key] = base[key]
  } else {
    Object.assign(env, base)
  }
  for (const key of opts.unused ?? []) delete env[key]
  const built: NodeJS.ProcessEnv = {...env, ...opts.extra}
  // never the secret of another driver (a ke run from inside a driver inherits its own)
  delete built[DRIVER_SECRET_ENV]
  if (opts.secret) built[DRIVER_SECRET_ENV] = opts.secret
  return built
}

// The driver's environment, built in one place. Drivers read cloud credentials, proxies and
// INJECTED_KUBECONFIG from it, so the user's environment passes through; process.env is never changed.
const RANCHER_PASSED = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']

export interface DriverEnvOptions {
  /** Added on top (--env, --env-file). */
  extra?: Record<string, string>
  /** Run as Rancher does: PATH=/usr/bin and proxy variables only. */
  rancher?: boolean
}

export function buildDriverEnv(base: NodeJS.ProcessEnv, opts: DriverEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  if (opts.rancher) {
    env.PATH = '/usr/bin'
    for (const key of RANCHER_PASSED) if (base[key] !== undefined) env[key] = base[key]
  } else {
    Object.assign(env, base)
  }
  return {...env, ...opts.extra}
}

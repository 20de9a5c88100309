// Lazy front for the service-account helpers: @kubernetes/client-node costs ~330 ms to import, so a
// driver pays it only when it calls one of them, not at start-up.
import type {KubeConfig} from '@kubernetes/client-node'
import type {
  RemoveServiceAccountOptions,
  RemoveServiceAccountResult,
  ServiceAccountTokenOptions,
} from './service-account-token.js'

export type {RemoveServiceAccountOptions, RemoveServiceAccountResult, ServiceAccountTokenOptions}

/** See service-account-token.ts: makes the kontainer-engine service account and returns its token. */
export async function generateServiceAccountToken(kubeconfig: KubeConfig, opts?: ServiceAccountTokenOptions): Promise<string> {
  const helper = await import('./service-account-token.js')
  return helper.generateServiceAccountToken(kubeconfig, opts)
}

/** See service-account-token.ts: removes what generateServiceAccountToken made. */
export async function removeServiceAccount(kubeconfig: KubeConfig, opts?: RemoveServiceAccountOptions): Promise<RemoveServiceAccountResult> {
  const helper = await import('./service-account-token.js')
  return helper.removeServiceAccount(kubeconfig, opts)
}

// Which store holds cluster records: `--store` or KE_STORE. `file` ($KE_HOME, the default) or
// `kubernetes[:CONTEXT][/NAMESPACE]` (issue 15). Pure: the caller passes the flag and the environment.
import {KeError} from '../errors.js'

export type StoreSpec = {kind: 'file'} | KubernetesStoreSpec

export interface KubernetesStoreSpec {
  kind: 'kubernetes'
  /** The kubeconfig context; its current context when unset. */
  context?: string
  /** The namespace; the context's namespace, else `default`, when unset. */
  namespace?: string
}

export const STORE_ENV = 'KE_STORE'

const USAGE = 'use `file` or `kubernetes[:CONTEXT][/NAMESPACE]`, e.g. `kubernetes:prod/ke-clusters`'
const NAMESPACE_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * Parses a store spec. The namespace follows the last `/` (namespaces cannot hold one); a context
 * that holds `/` itself (EKS: `arn:…:cluster/prod`) is written with a trailing `/`, which keeps the
 * context's own namespace: `kubernetes:arn:…:cluster/prod/`.
 */
export function parseStoreSpec(text: string, source = '--store'): StoreSpec {
  const bad = (why: string) => new KeError('BAD_FLAG', `${source} ${JSON.stringify(text)}: ${why}`, {hint: USAGE})
  if (text === 'file') return {kind: 'file'}
  const match = /^kubernetes(?::(.*))?$|^kubernetes(\/.*)$/.exec(text)
  if (!match) throw bad('unknown store')
  const rest = match[1] ?? match[2] ?? ''
  const slash = rest.lastIndexOf('/')
  const context = slash === -1 ? rest : rest.slice(0, slash)
  const namespace = slash === -1 ? '' : rest.slice(slash + 1)
  if (match[1] !== undefined && context === '') throw bad('the context after `kubernetes:` is empty')
  if (namespace && !NAMESPACE_PATTERN.test(namespace)) {
    throw bad(`${JSON.stringify(namespace)} is not a namespace name (lower-case letters, digits and "-", at most 63)`)
  }
  return {kind: 'kubernetes', ...(context ? {context} : {}), ...(namespace ? {namespace} : {})}
}

/** The store a command uses: its `--store` flag, else KE_STORE, else `file`. */
export function resolveStoreSpec(flag: string | undefined, env: NodeJS.ProcessEnv): StoreSpec {
  if (flag !== undefined) return parseStoreSpec(flag, '--store')
  const fromEnv = env[STORE_ENV]
  if (fromEnv) return parseStoreSpec(fromEnv, STORE_ENV)
  return {kind: 'file'}
}

/** The spec as a user writes it, for messages and hints. */
export function formatStoreSpec(spec: StoreSpec): string {
  if (spec.kind === 'file') return 'file'
  const context = spec.context ? `:${spec.context}` : ''
  const namespace = spec.namespace ? `/${spec.namespace}` : spec.context?.includes('/') ? '/' : ''
  return `kubernetes${context}${namespace}`
}

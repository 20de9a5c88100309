// client-node sets no deadline on a request: an API server that takes the connection and never answers
// holds it open for ever, and with it ke's process, long after ke has given up waiting (racing a timer
// stops the wait, not the request). A signal on each request ends the request itself. Watches
// (client-node's Watch) are not requests of an API client: they keep their own signals.
import type {ConfigurationOptions, KubeConfig, Observable, RequestContext, ResponseContext} from '@kubernetes/client-node'

type ObservableClass = typeof Observable

interface Authenticating {
  applySecurityAuthentication?: (context: RequestContext) => Promise<void>
  keRequestDeadlineMs?: number
}

/**
 * Ends every request of `kc`'s API clients that has not been answered within `ms` (one with a signal of
 * its own keeps it). Returns `kc`; a second call leaves the first deadline.
 */
export function withRequestDeadline(kc: KubeConfig, ms: number): KubeConfig {
  // makeApiClient hands the KubeConfig itself to its clients, which call this before each request
  const target = kc as unknown as Authenticating
  if (typeof target.applySecurityAuthentication !== 'function' || target.keRequestDeadlineMs !== undefined) return kc
  const authenticate = target.applySecurityAuthentication.bind(kc)
  target.applySecurityAuthentication = async (context) => {
    await authenticate(context)
    if (!context.getSignal()) context.setSignal(AbortSignal.timeout(ms))
  }
  target.keRequestDeadlineMs = ms
  return kc
}

/**
 * Options for one call of an API client: it ends after `ms`, or when `stop` aborts, whichever comes
 * first. `Observable` is client-node's own (its API clients take their middleware in that form).
 */
export function callDeadline(Observable: ObservableClass, ms: number, stop?: AbortSignal): ConfigurationOptions {
  const signal = stop ? AbortSignal.any([AbortSignal.timeout(ms), stop]) : AbortSignal.timeout(ms)
  const pre = (context: RequestContext) => {
    context.setSignal(signal)
    return new Observable(Promise.resolve(context))
  }
  const post = (response: ResponseContext) => new Observable(Promise.resolve(response))
  return {middleware: [{pre, post}], middlewareMergeStrategy: 'append'}
}

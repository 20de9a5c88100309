// What a failed call to the Kubernetes API through @kubernetes/client-node means, in words. Shared by
// the SDK's service-account helper and ke's access check.

/**
 * client-node's ApiException, recognised by shape: importing the class would load client-node
 * (~330 ms) in every command that might report such an error.
 */
interface ApiExceptionLike {
  code: number
  body: unknown
}

function isApiException(err: unknown): err is ApiExceptionLike {
  return typeof err === 'object' && err !== null && typeof (err as {code?: unknown}).code === 'number' && 'body' in err
}

export function statusCode(err: unknown): number | undefined {
  return isApiException(err) ? err.code : undefined
}

/** The body of an error answer, parsed when it is JSON text; undefined when it is not JSON at all. */
export function errorBody(err: unknown): unknown {
  if (!isApiException(err)) return undefined
  if (typeof err.body !== 'string') return err.body
  try {
    return JSON.parse(err.body)
  } catch {
    return undefined
  }
}

/** The Kubernetes `Status` object of an error answer, as far as there is one. */
export function statusBody(err: unknown): {reason?: string; message?: string} {
  const body = errorBody(err)
  if (!body || typeof body !== 'object') return {}
  const {reason, message} = body as {reason?: unknown; message?: unknown}
  return {
    reason: typeof reason === 'string' && reason ? reason : undefined,
    message: typeof message === 'string' && message ? message : undefined,
  }
}

export function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as {cause?: unknown}).cause, depth++) {
    const code = (e as {code?: unknown}).code
    if (typeof code === 'string' && code) return code
  }
  return undefined
}

export function isAbort(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const {name, type} = err as {name?: unknown; type?: unknown}
  return name === 'AbortError' || name === 'TimeoutError' || type === 'aborted'
}

const TLS_ERRORS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is not signed by a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a trusted certificate authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not trusted',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_REJECTED: 'it was rejected',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is not valid for this host name or address',
  HOSTNAME_MISMATCH: 'it is not valid for this host name',
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  EPROTO: 'TLS handshake failed',
}

/** The server's TLS certificate was not accepted (rather than the network failing). */
export function isCertificateError(err: unknown): boolean {
  const errno = networkCode(err)
  return errno !== undefined && TLS_ERRORS[errno] !== undefined
}

export function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)))
}

/** An error for TLS, time-out and network failures (not HTTP answers); undefined for anything else. */
export function describeTransportError(err: unknown, server: string, timeoutMs: number): Error | undefined {
  const errno = networkCode(err)
  if (errno && TLS_ERRORS[errno] !== undefined) {
    return new Error(
      `the certificate of the Kubernetes API at ${server} is not trusted: ${TLS_ERRORS[errno]} (${errno}); ` +
        `check the cluster's certificate authority in the kubeconfig`,
      {cause: err},
    )
  }
  if (isAbort(err)) return new Error(`cannot reach the Kubernetes API at ${server}: no answer within ${seconds(timeoutMs)} s`, {cause: err})
  if (errno) {
    const reason = NETWORK_ERRORS[errno]
    return new Error(`cannot reach the Kubernetes API at ${server}: ${reason ? `${reason} (${errno})` : errno}`, {cause: err})
  }
  return undefined
}

// Conversions between proto shapes (snake_case, as proto-loader decodes them with keepCase) and the
// camelCase shapes the rest of ke uses. The host's client and the SDK's server both use these, so a
// field is mapped in exactly one place.
import {
  emptyClusterInfo,
  type ClusterInfo,
  type DriverFlag,
  type DriverFlags,
  type DriverOptions,
  type K8sCapabilities,
} from './types.js'

export interface WireStringSlice {
  value?: string[]
}

export interface WireDriverOptions {
  bool_options?: Record<string, boolean>
  string_options?: Record<string, string>
  int_options?: Record<string, number | string>
  string_slice_options?: Record<string, WireStringSlice>
}

export interface WireClusterInfo {
  version?: string
  service_account_token?: string
  endpoint?: string
  username?: string
  password?: string
  root_ca_certificate?: string
  client_certificate?: string
  client_key?: string
  node_count?: number | string
  metadata?: Record<string, string>
  status?: string
  create_error?: string
}

export interface WireDefault {
  defaultBool?: boolean
  defaultString?: string
  defaultStringSlice?: WireStringSlice | null
  defaultInt?: number | string
}

export interface WireFlag {
  type?: string
  usage?: string
  value?: string
  default?: WireDefault | null
  password?: boolean
}

export interface WireK8sCapabilities {
  L4LoadBalancer?: {Enabled?: boolean; Provider?: string; ProtocolsSupported?: string[]; HealthCheckSupported?: boolean} | null
  IngressControllers?: Array<{IngressProvider?: string; CustomDefaultBackend?: boolean}>
  NodePoolScalingSupported?: boolean
  NodePortRange?: string
}

function mapValues<A, B>(record: Record<string, A> | undefined, fn: (value: A) => B): Record<string, B> {
  const out: Record<string, B> = {}
  for (const [key, value] of Object.entries(record ?? {})) out[key] = fn(value)
  return out
}

/** Always all four maps, even empty: some drivers dereference them without checking. */
export function toWireOptions(options: DriverOptions): Required<WireDriverOptions> {
  return {
    bool_options: {...options.boolOptions},
    string_options: {...options.stringOptions},
    int_options: {...options.intOptions},
    string_slice_options: mapValues(options.stringSliceOptions, (value) => ({value: [...value]})),
  }
}

export function fromWireOptions(wire: WireDriverOptions | null | undefined): DriverOptions {
  return {
    boolOptions: {...wire?.bool_options},
    stringOptions: {...wire?.string_options},
    intOptions: mapValues(wire?.int_options, Number),
    stringSliceOptions: mapValues(wire?.string_slice_options, (slice) => [...(slice?.value ?? [])]),
  }
}

export function toWireInfo(info: ClusterInfo | undefined): Required<WireClusterInfo> {
  const source = info ?? emptyClusterInfo()
  return {
    version: source.version,
    service_account_token: source.serviceAccountToken,
    endpoint: source.endpoint,
    username: source.username,
    password: source.password,
    root_ca_certificate: source.rootCaCertificate,
    client_certificate: source.clientCertificate,
    client_key: source.clientKey,
    node_count: source.nodeCount,
    metadata: {...source.metadata},
    status: source.status,
    create_error: source.createError,
  }
}

export function fromWireInfo(wire: WireClusterInfo | null | undefined): ClusterInfo {
  return {
    version: wire?.version ?? '',
    serviceAccountToken: wire?.service_account_token ?? '',
    endpoint: wire?.endpoint ?? '',
    username: wire?.username ?? '',
    password: wire?.password ?? '',
    rootCaCertificate: wire?.root_ca_certificate ?? '',
    clientCertificate: wire?.client_certificate ?? '',
    clientKey: wire?.client_key ?? '',
    nodeCount: Number(wire?.node_count ?? 0),
    metadata: {...wire?.metadata},
    status: wire?.status ?? '',
    createError: wire?.create_error ?? '',
  }
}

export function fromWireFlags(options: Record<string, WireFlag> | undefined): DriverFlags {
  return mapValues(options, (flag): DriverFlag => {
    const result: DriverFlag = {
      type: flag.type ?? '',
      usage: flag.usage ?? '',
      value: flag.value ?? '',
      password: flag.password ?? false,
    }
    // proto-loader decodes an absent message field as null: "no Default" differs from a zero Default
    if (flag.default) {
      result.default = {
        defaultBool: flag.default.defaultBool ?? false,
        defaultString: flag.default.defaultString ?? '',
        defaultStringSlice: [...(flag.default.defaultStringSlice?.value ?? [])],
        defaultInt: Number(flag.default.defaultInt ?? 0),
      }
    }
    return result
  })
}

export function toWireFlags(flags: DriverFlags): Record<string, WireFlag> {
  return mapValues(flags, (flag) => ({
    type: flag.type,
    usage: flag.usage,
    value: flag.value,
    password: flag.password,
    default: flag.default
      ? {
          defaultBool: flag.default.defaultBool,
          defaultString: flag.default.defaultString,
          defaultStringSlice: {value: [...flag.default.defaultStringSlice]},
          defaultInt: flag.default.defaultInt,
        }
      : null,
  }))
}

export function fromWireK8sCapabilities(wire: WireK8sCapabilities | null | undefined): K8sCapabilities {
  const lb = wire?.L4LoadBalancer
  return {
    l4LoadBalancer: lb
      ? {
          enabled: lb.Enabled ?? false,
          provider: lb.Provider ?? '',
          protocolsSupported: [...(lb.ProtocolsSupported ?? [])],
          healthCheckSupported: lb.HealthCheckSupported ?? false,
        }
      : undefined,
    ingressControllers: (wire?.IngressControllers ?? []).map((ingress) => ({
      ingressProvider: ingress.IngressProvider ?? '',
      customDefaultBackend: ingress.CustomDefaultBackend ?? false,
    })),
    nodePoolScalingSupported: wire?.NodePoolScalingSupported ?? false,
    nodePortRange: wire?.NodePortRange ?? '',
  }
}

export function toWireK8sCapabilities(caps: K8sCapabilities): WireK8sCapabilities {
  return {
    L4LoadBalancer: caps.l4LoadBalancer
      ? {
          Enabled: caps.l4LoadBalancer.enabled,
          Provider: caps.l4LoadBalancer.provider,
          ProtocolsSupported: caps.l4LoadBalancer.protocolsSupported,
          HealthCheckSupported: caps.l4LoadBalancer.healthCheckSupported,
        }
      : null,
    IngressControllers: caps.ingressControllers.map((ingress) => ({
      IngressProvider: ingress.ingressProvider,
      CustomDefaultBackend: ingress.customDefaultBackend,
    })),
    NodePoolScalingSupported: caps.nodePoolScalingSupported,
    NodePortRange: caps.nodePortRange,
  }
}

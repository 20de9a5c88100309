// The ke driver SDK: write a Kubernetes cluster driver in TypeScript that ke and Rancher run unchanged.
export {serveDriver, type ServeOptions, type ServingDriver} from './server.js'
export type {Driver} from './driver.js'
export {Options} from './options.js'
export {option, defineOptions} from './flags.js'
export {loadState, saveState} from './state.js'
export {NotImplementedError, CreateFailedError, UsageError, failedCreate} from './errors.js'
export {log, type LogLevel} from './log.js'
export {generateServiceAccountToken, removeServiceAccount} from './kube.js'
// what the service-account helpers take; the class itself is in 'ke/sdk/kube' (loading client-node costs
// ~330 ms, which a driver pays only when it uses it)
export type {KubeConfig} from '@kubernetes/client-node'
export {
  emptyClusterInfo,
  type ClusterInfo,
  type DriverFlag,
  type DriverFlags,
  type DriverOptions,
  type Capabilities,
  type K8sCapabilities,
} from '../protocol/types.js'

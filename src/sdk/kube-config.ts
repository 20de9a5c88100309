// `ke/sdk/kube`: client-node's KubeConfig, what the SDK's service-account helpers take, so a driver
// builds one without a client-node dependency of its own (and the one ke was built against).
export {KubeConfig} from '@kubernetes/client-node'
export {generateServiceAccountToken, removeServiceAccount} from './kube.js'

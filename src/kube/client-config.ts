// client-node's KubeConfig alone. ke's bundles load what this module imports, and only that: the whole
// package is ~5.5 MB bundled (its generated API and every model), KubeConfig and what it needs ~1.2 MB,
// and loading the whole of it made each `ke env`, `ke kubeconfig`, and `ke rm` of a cluster `ke env`
// had added to $KE_HOME/kubeconfig, ~100 ms slower. What talks to an API server imports the package.
export {KubeConfig} from '@kubernetes/client-node'

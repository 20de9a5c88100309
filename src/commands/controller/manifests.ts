import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {KeError} from '../../errors.js'
import {controllerManifests, DEFAULT_NAMESPACE, renderManifests, validateNamespace, type Manifest} from '../../controller/manifests.js'

export default class ControllerManifests extends BaseCommand {
  static summary = 'print the YAML that runs `ke controller` in a cluster: CRD, ServiceAccount, RBAC, Deployment'
  static description = [
    'Prints the Cluster CustomResourceDefinition, a Namespace, a ServiceAccount, least-privilege RBAC (a ClusterRole,',
    'or a Role with --watch-namespace) and a Deployment with /healthz and /readyz probes, resource limits and a',
    'non-root, read-only container. Apply it with `kubectl apply -f -`. Replicas elect a leader on a Lease: one works, the others stand by.',
  ].join(' ')

  static examples = [
    '<%= config.bin %> controller manifests | kubectl apply -f -',
    '<%= config.bin %> controller manifests --image registry.example.com/ke:0.1.0 --replicas 2',
    '<%= config.bin %> controller manifests --namespace platform --watch-namespace team-a',
  ]

  static flags = {
    namespace: Flags.string({description: 'namespace the controller runs in', default: DEFAULT_NAMESPACE}),
    image: Flags.string({description: 'container image with ke (built from the Dockerfile; default ke:VERSION)'}),
    'all-namespaces': Flags.boolean({description: 'reconcile Cluster objects in every namespace (the default): a ClusterRole', exclusive: ['watch-namespace']}),
    'watch-namespace': Flags.string({description: 'reconcile Cluster objects of this namespace only: a Role there', exclusive: ['all-namespaces']}),
    replicas: Flags.integer({description: 'controller replicas: one works (leader election), the others stand by', default: 1, min: 1}),
  }

  async run(): Promise<Manifest[]> {
    const {flags} = await this.parse(ControllerManifests)
    const namespace = validateNamespace(flags.namespace, '--namespace')
    const watched = flags['watch-namespace'] === undefined ? undefined : validateNamespace(flags['watch-namespace'], '--watch-namespace')
    if (flags.image === '') throw new KeError('BAD_FLAG', '--image is empty', {hint: 'e.g. --image registry.example.com/ke:0.1.0'})
    const objects = controllerManifests({
      namespace,
      image: flags.image ?? `ke:${this.config.version}`,
      watch: watched === undefined ? {allNamespaces: true} : {namespace: watched},
      replicas: flags.replicas,
    })
    this.printAnswer((await renderManifests(objects)).trimEnd())
    return objects
  }
}

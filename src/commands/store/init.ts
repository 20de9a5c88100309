import {KeError} from '../../errors.js'
import {connectStore} from '../../store/kubernetes/connect.js'
import {initStore, type InitResult} from '../../store/kubernetes/init.js'
import {resolveStoreSpec, STORE_ENV} from '../../store/store-spec.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class StoreInit extends BaseCommand {
  static summary = 'set up a Kubernetes store: apply the ke.io Cluster CRD and wait until it is served'
  static description = `Needs rights to create CustomResourceDefinitions. Creates the store's namespace when it does not exist. Idempotent: run it again after upgrading ke. The store is \`--store\`, else ${STORE_ENV}, else the kubeconfig's current context.`
  static examples = ['<%= config.bin %> store init', '<%= config.bin %> store init --store kubernetes:prod/ke-clusters']

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(StoreInit)
    const spec = flags.store === undefined && !process.env[STORE_ENV] ? {kind: 'kubernetes' as const} : resolveStoreSpec(flags.store, process.env)
    if (spec.kind !== 'kubernetes') throw new KeError('BAD_FLAG', 'the file store needs no init', {hint: 'use `--store kubernetes[:CONTEXT][/NAMESPACE]`'})
    const result = await initStore(await connectStore(spec, process.env))
    if (result.namespaceCreated) this.print(`created namespace ${result.namespaceCreated}`)
    this.print(`${result.changed ? 'applied' : 'unchanged:'} CustomResourceDefinition ${result.crd} (Established) for the Kubernetes store ${result.store}`)
    return result
  }
}

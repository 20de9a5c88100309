// What the `ke controller` e2e tests share: a namespace with the CRD applied, the controller as a
// subprocess (`node bin/run.js controller …`) whose log lines are kept, and the admin's view of
// Cluster objects, Secrets and Events in that namespace. Real API server (test/support/kubernetes.ts).
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions} from '@kubernetes/client-node'
import {kubernetes, uniqueName, type TestKubernetes} from '../../support/kubernetes.js'
import {makeHome, runKe, startKe, waitFor, type KeOptions, type KeResult} from '../../support/ke.js'

const CLUSTERS = {group: 'ke.io', version: 'v1alpha1', plural: 'clusters'}

export interface RunningController {
  child: ChildProcess
  /** Log lines so far (stderr). */
  lines(): string[]
  /** Everything it wrote so far, stdout and stderr. */
  output(): {stdout: string; stderr: string}
  /** SIGTERM, then the exit. */
  stop(): Promise<{code: number | null; signal: NodeJS.Signals | null}>
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

export interface ControllerEnv {
  kube: TestKubernetes
  namespace: string
  home: string
  store: string
  options: KeOptions
  objects: CustomObjectsApi
  core: CoreV1Api
  /** Starts `ke controller` on the namespace (no leader election: one replica). */
  startController(args?: string[], env?: Record<string, string>): RunningController
  ke(args: string[]): Promise<KeResult>
  apply(name: string, spec: Record<string, unknown>, metadata?: Record<string, unknown>): Promise<void>
  get(name: string): Promise<any | undefined>
  patch(name: string, body: Record<string, unknown>): Promise<void>
  remove(name: string): Promise<void>
  /** Waits until `check` holds for the object; returns it. */
  waitForCluster(name: string, what: string, check: (object: any) => boolean, timeoutMs?: number): Promise<any>
  events(name: string): Promise<Array<{type: string; reason: string; message: string}>>
  dispose(): Promise<void>
}

/** `kube`: another control plane than the shared one (privateKubernetes(), for a test that sees every namespace). */
export async function controllerEnv(prefix: string, given?: TestKubernetes): Promise<ControllerEnv> {
  const kube = given ?? (await kubernetes())
  const namespace = uniqueName(prefix)
  const admin = kube.admin()
  const core = admin.makeApiClient(CoreV1Api)
  const objects = admin.makeApiClient(CustomObjectsApi)
  await core.createNamespace({body: {metadata: {name: namespace}}})
  const {home, dispose} = makeHome(`ke-${prefix}-`)
  const store = `kubernetes:ke-test/${namespace}`
  const options: KeOptions = {home, env: {KUBECONFIG: kube.kubeconfigPath, KE_STORE: undefined}, timeoutMs: 90_000}
  const init = await runKe(['store', 'init', '--store', store], options)
  assert.equal(init.code, 0, init.stderr)
  const running: RunningController[] = []
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  const get = async (name: string) =>
    objects.getNamespacedCustomObject({...CLUSTERS, namespace, name}).catch((error: {code?: number}) => (error.code === 404 ? undefined : Promise.reject(error)))

  return {
    kube,
    namespace,
    home,
    store,
    options,
    objects,
    core,
    startController(args = [], env = {}) {
      const child = startKe(['controller', '--store', store, '--no-leader-elect', ...args], {...options, env: {...options.env, ...env}})
      let stderr = ''
      let stdout = ''
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      child.stdin!.end()
      const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('close', (code, signal) => resolve({code, signal})))
      const controller: RunningController = {
        child,
        lines: () => stderr.split('\n').filter(Boolean),
        output: () => ({stdout, stderr}),
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          return exited
        },
      }
      running.push(controller)
      return controller
    },
    ke: (args) => runKe(args, options),
    async apply(name, spec, metadata = {}) {
      await objects.createNamespacedCustomObject({...CLUSTERS, namespace, body: {apiVersion: 'ke.io/v1alpha1', kind: 'Cluster', metadata: {name, ...metadata}, spec}})
    },
    get,
    async patch(name, body) {
      await objects.patchNamespacedCustomObject({...CLUSTERS, namespace, name, body}, merge)
    },
    async remove(name) {
      await objects.deleteNamespacedCustomObject({...CLUSTERS, namespace, name})
    },
    async waitForCluster(name, what, check, timeoutMs = 60_000) {
      let last: any
      try {
        return await waitFor(async () => {
          last = await get(name)
          return last && check(last) ? last : undefined
        }, `${name} ${what}`, timeoutMs)
      } catch (error) {
        const logs = running.flatMap((c) => c.lines()).slice(-30).join('\n')
        throw new Error(`${(error as Error).message}\nlast object: ${JSON.stringify(last?.status ?? last)}\ncontroller log:\n${logs}`)
      }
    },
    async events(name) {
      const list = await core.listNamespacedEvent({namespace, fieldSelector: `involvedObject.name=${name}`})
      return list.items.map((e) => ({type: e.type ?? '', reason: e.reason ?? '', message: e.message ?? ''}))
    },
    async dispose() {
      await Promise.all(running.map((c) => c.stop()))
      // objects left with our finalizer would keep the namespace from going: drop them
      const list = (await objects.listNamespacedCustomObject({...CLUSTERS, namespace})) as {items: Array<{metadata: {name: string}}>}
      for (const item of list.items) await objects.patchNamespacedCustomObject({...CLUSTERS, namespace, name: item.metadata.name, body: {metadata: {finalizers: []}}}, merge).catch(() => {})
      await core.deleteNamespace({name: namespace}).catch(() => {})
      dispose()
    },
  }
}

export function condition(object: any, type: string): {status: string; reason: string; message: string} | undefined {
  return object?.status?.conditions?.find((c: {type: string}) => c.type === type)
}

/** Log lines of the controller about one cluster that match `text`. */
export function linesAbout(controller: RunningController, key: string, text: string): string[] {
  return controller.lines().filter((line) => line.includes(key) && line.includes(text))
}

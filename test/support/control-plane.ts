// Starts a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager) on free 127.0.0.1
// ports, with every certificate and key made here at start (nothing secret is committed). Run by the
// supervisor process (kubernetes-supervisor.ts), never inside a test process: the supervisor outlives a
// crashed test file only as long as it takes to notice and stop exactly the processes started here.
// Flags and start-up order are those of ../shared/k8s/README.md.
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import {request, type RequestOptions} from 'node:https'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface Binaries {
  etcd: string
  apiserver: string
  controllerManager: string
}

/** What a running control plane tells its users (written as ready.json by the supervisor). */
export interface ControlPlaneInfo {
  server: string
  /** Kubeconfig file of the admin (client certificate, O=system:masters), data embedded. */
  kubeconfig: string
  caFile: string
}

const READY_DEADLINE_MS = 120_000

interface Component {
  name: string
  log: string
  child: ChildProcess
}

/**
 * A control plane in `dir` (certificates, data, one log per component). `stop` may come at any time,
 * also while `start` is still waiting: it stops what was started, and `start` then fails.
 */
export class ControlPlane {
  private readonly components: Component[] = []
  private stopped = false

  constructor(
    private readonly dir: string,
    private readonly bin: Binaries,
  ) {}

  async start(): Promise<ControlPlaneInfo> {
    try {
      return await this.startAll()
    } catch (error) {
      await this.stop()
      throw new Error(`${(error as Error).message}\n${logTails(this.components)}`)
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    await stopAll(this.components)
  }

  private async startAll(): Promise<ControlPlaneInfo> {
    const {dir, bin} = this
    const pki = join(dir, 'pki')
    mkdirSync(pki, {recursive: true})
    await makePki(pki)
    const [etcdClient, etcdPeer, apiPort, kcmPort] = await freePorts(4)
    const server = `https://127.0.0.1:${apiPort}`
    const admin = kubeconfigFile(join(dir, 'admin.kubeconfig'), server, pki, 'admin')
    const kcm = kubeconfigFile(join(dir, 'kcm.kubeconfig'), server, pki, 'kcm')

    this.run('etcd', bin.etcd, [
      '--data-dir', join(dir, 'etcd-data'), '--name', 'default',
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`,
    ])
    this.run('kube-apiserver', bin.apiserver, [
      '--etcd-servers', `http://127.0.0.1:${etcdClient}`, '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1',
      '--secure-port', String(apiPort), '--cert-dir', join(dir, 'apiserver-certs'),
      '--tls-cert-file', join(pki, 'serving.crt'), '--tls-private-key-file', join(pki, 'serving.key'), '--client-ca-file', join(pki, 'ca.crt'),
      '--authorization-mode', 'Node,RBAC', '--service-cluster-ip-range', '10.0.0.0/24',
      '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', join(pki, 'sa.pub'), '--service-account-signing-key-file', join(pki, 'sa.key'),
    ])
    // the controller-manager exits "forbidden" when started before the API server's RBAC bootstrap
    const asAdmin = {ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key'))}
    await this.waitHealthy(`${server}/readyz`, asAdmin, 'kube-apiserver /readyz')
    this.run('kube-controller-manager', bin.controllerManager, [
      '--kubeconfig', kcm, '--authentication-kubeconfig', kcm, '--authorization-kubeconfig', kcm,
      '--bind-address', '127.0.0.1', '--secure-port', String(kcmPort), '--cert-dir', join(dir, 'kcm-certs'),
      '--controllers', '*', '--service-account-private-key-file', join(pki, 'sa.key'), '--root-ca-file', join(pki, 'ca.crt'),
      '--use-service-account-credentials', '--leader-elect=false', '--feature-gates', 'WatchListClient=false',
    ])
    // its serving certificate is one it made itself; /healthz is open to anonymous callers
    await this.waitHealthy(`https://127.0.0.1:${kcmPort}/healthz`, {rejectUnauthorized: false}, 'kube-controller-manager /healthz')
    return {server, kubeconfig: admin, caFile: join(pki, 'ca.crt')}
  }

  private run(name: string, binary: string, args: string[]): void {
    if (this.stopped) throw new Error('stopped while starting')
    const log = join(this.dir, `${name}.log`)
    const fd = openSync(log, 'a')
    const child = spawn(binary, args, {stdio: ['ignore', fd, fd]})
    closeSync(fd)
    child.on('error', (error) => writeFileSync(log, `cannot start ${binary}: ${error.message}\n`, {flag: 'a'}))
    this.components.push({name, log, child})
  }

  /** Polls an HTTPS health endpoint until it answers 200, a component dies, or the deadline. */
  private async waitHealthy(url: string, tls: RequestOptions, what: string): Promise<void> {
    const deadline = Date.now() + READY_DEADLINE_MS
    for (;;) {
      if (this.stopped) throw new Error(`stopped while waiting for ${what}`)
      const dead = this.components.find((c) => c.child.exitCode !== null || c.child.signalCode !== null)
      if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) before ${what} was ok`)
      if ((await statusOf(url, tls)) === 200) return
      if (Date.now() > deadline) throw new Error(`${what} was not ok within ${READY_DEADLINE_MS / 1000} s`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/** CA, API serving certificate, admin and controller-manager client certificates, service-account keys. */
async function makePki(pki: string): Promise<void> {
  const p = (name: string) => join(pki, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2', '-subj', '/CN=ke-test-ca'])
  const issue = async (name: string, subject: string, extensions: string) => {
    writeFileSync(p(`${name}.ext`), extensions)
    await run('openssl', ['req', '-new', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subject])
    // a serial of its own: with -CAcreateserial the three signings below race on one ca.srl file
    await run('openssl', ['x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-out', p(`${name}.crt`), '-days', '2', '-extfile', p(`${name}.ext`)])
  }
  await Promise.all([
    issue('serving', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
    issue('admin', '/O=system:masters/CN=ke-test-admin', 'extendedKeyUsage=clientAuth\n'),
    issue('kcm', '/CN=system:kube-controller-manager', 'extendedKeyUsage=clientAuth\n'),
  ])
  const sa = generateKeyPairSync('rsa', {modulusLength: 2048})
  writeFileSync(p('sa.key'), sa.privateKey.export({type: 'pkcs1', format: 'pem'}), {mode: 0o600})
  writeFileSync(p('sa.pub'), sa.publicKey.export({type: 'spki', format: 'pem'}))
}

function kubeconfigFile(path: string, server: string, pki: string, user: 'admin' | 'kcm'): string {
  const b64 = (name: string) => readFileSync(join(pki, name)).toString('base64')
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ke-test`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64('ca.crt')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(`${user}.crt`)}`,
    `    client-key-data: ${b64(`${user}.key`)}`,
    'contexts:',
    '- name: ke-test',
    '  context:',
    '    cluster: ke-test',
    `    user: ${user}`,
    'current-context: ke-test',
    '',
  ].join('\n')
  writeFileSync(path, text, {mode: 0o600})
  return path
}

function statusOf(url: string, tls: RequestOptions): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, {...tls, timeout: 2000}, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
    req.end()
  })
}

function logTails(components: Component[]): string {
  return components
    .map(({name, log}) => {
      const lines = existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15) : []
      return `--- last lines of ${name} (${log}) ---\n${lines.join('\n')}`
    })
    .join('\n')
}

/** SIGTERM to each process started here, then SIGKILL to any still running after 5 s. */
async function stopAll(components: Component[]): Promise<void> {
  await Promise.all(
    components.reverse().map(({child}) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      return exited.finally(() => clearTimeout(timer))
    }),
  )
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({length: count}, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => resolve(server))
    })),
  )
  const ports = servers.map((server) => (server.address() as {port: number}).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}

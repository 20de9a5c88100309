// Which command lines run without oclif (direct.ts), told from argv and the environment alone: the
// loader (direct-loader.ts) asks before it loads the commands, so that help and KE_DIRECT=0 go to oclif
// at no cost.

/**
 * The words that name a command run without oclif (aliases too; a topic's command by both its words),
 * as bin/run.js's DIRECT_COMMANDS lists their first words.
 */
export const DIRECT_WORDS = new Set([
  'create', 'rm', 'remove', 'env', 'kubeconfig', 'inspect', 'logs', 'update', 'capabilities',
  'version get', 'get-version', 'version set', 'set-version', 'size get', 'get-cluster-size', 'size set', 'set-cluster-size',
  'etcd save', 'etcd restore', 'etcd remove',
])

/** The words of `argv` that name a command run without oclif (`version get`), or undefined. */
export function directWordsOf(argv: string[]): string | undefined {
  const two = argv.length > 1 ? `${argv[0]} ${argv[1]}` : undefined
  if (two !== undefined && DIRECT_WORDS.has(two)) return two
  return DIRECT_WORDS.has(argv[0]) ? argv[0] : undefined
}

/** False when oclif must run `argv`: another command, help, oclif's debug log (DEBUG=...), KE_DIRECT=0. */
export function runsDirect(argv: string[], env: NodeJS.ProcessEnv): boolean {
  if (directWordsOf(argv) === undefined || env.KE_DIRECT === '0' || env.DEBUG) return false
  // oclif shows help for --help or -h anywhere before `--`
  for (const arg of argv.slice(1)) {
    if (arg === '--') break
    if (arg === '--help' || arg === '-h') return false
  }
  return true
}

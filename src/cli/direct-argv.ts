// Which command lines run without oclif (direct.ts), told from argv and the environment alone: the
// loader (direct-loader.ts) asks before it loads the commands, so that help and KE_DIRECT=0 go to oclif
// at no cost.

/** The words that name a command run without oclif (aliases too), as bin/run.js's DIRECT_COMMANDS lists them. */
export const DIRECT_WORDS = new Set(['create', 'rm', 'remove', 'env', 'kubeconfig', 'inspect'])

/** False when oclif must run `argv`: another command, help, oclif's debug log (DEBUG=...), KE_DIRECT=0. */
export function runsDirect(argv: string[], env: NodeJS.ProcessEnv): boolean {
  if (!DIRECT_WORDS.has(argv[0]) || env.KE_DIRECT === '0' || env.DEBUG) return false
  // oclif shows help for --help or -h anywhere before `--`
  for (const arg of argv.slice(1)) {
    if (arg === '--') break
    if (arg === '--help' || arg === '-h') return false
  }
  return true
}

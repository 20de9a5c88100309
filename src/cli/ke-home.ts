import {statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {KeError} from '../errors.js'

/** $KE_HOME, else ~/.ke: where the file store, installed drivers and running-driver records live. */
export function keHomeOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.KE_HOME || join(homedir(), '.ke'))
}

/**
 * Refuses a home that cannot be a directory: it, or the nearest part of its path that exists, is a
 * file (KE_HOME=~/.bashrc/ke). Left to the first write, a create started its driver first and then
 * failed with a bare ENOTDIR. One that does not exist yet is fine: ke makes it when it first writes.
 */
export function checkKeHome(home: string): void {
  const hint = 'set KE_HOME to a directory ke may write, or unset it to use ~/.ke'
  for (let path = home; ; path = dirname(path)) {
    try {
      if (statSync(path).isDirectory()) return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // not there (yet), or a file on the way to it: look at what is above
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(path) !== path) continue
      throw new KeError('BAD_CONFIG', `ke's home ${home} cannot be used: ${(error as Error).message}`, {hint})
    }
    throw new KeError('BAD_CONFIG', `ke's home ${home} cannot be a directory: ${path} is a file`, {hint})
  }
}

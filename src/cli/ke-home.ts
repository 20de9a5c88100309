import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

/** $KE_HOME, else ~/.ke: where the file store, installed drivers and running-driver records live. */
export function keHomeOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.KE_HOME || join(homedir(), '.ke'))
}

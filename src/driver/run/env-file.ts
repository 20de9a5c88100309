// `--env K=V` and `--env-file FILE` for the driver's environment.
import {readFileSync} from 'node:fs'
import {KeError} from '../../errors.js'

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

function parsePair(text: string, where: string): [string, string] {
  const at = text.indexOf('=')
  const key = at > 0 ? text.slice(0, at) : ''
  if (!KEY.test(key)) throw new KeError('BAD_FLAG', `${where}: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : key || text)} is not NAME=VALUE`, {hint: 'e.g. --env AWS_REGION=eu-west-1'})
  return [key, text.slice(at + 1)]
}

/** dotenv-style: NAME=VALUE lines, `#` comments, optional `export `, optional matching quotes. */
export function readEnvFile(file: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new KeError('BAD_FLAG', `--env-file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {hint: 'pass a file of NAME=VALUE lines'})
  }
  const env: Record<string, string> = {}
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim().replace(/^export\s+/, '')
    if (!line || line.startsWith('#')) return
    const [key, value] = parsePair(line, `--env-file ${file} line ${index + 1}`)
    env[key] = /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value
  })
  return env
}

export function parseEnvPairs(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => parsePair(pair, '--env')))
}

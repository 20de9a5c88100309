import {KeError} from '../errors.js'

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export function isClusterName(name: string): boolean {
  return NAME_PATTERN.test(name)
}

/** Cluster names become directory names and Kubernetes context names: checked before any file is touched. */
export function validateClusterName(name: string): string {
  if (isClusterName(name)) return name
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)
  const why =
    name === ''
      ? 'is empty'
      : name.length > 63
        ? `is ${name.length} characters long (at most 63)`
        : 'may hold only lower-case letters, digits and "-", and must start and end with a letter or digit'
  throw new KeError('BAD_NAME', `cluster name ${shown} ${why}`, {hint: 'use a name like my-cluster-1'})
}

// Which options hold secrets. Most real drivers declare their API keys as plain strings, so a name that
// looks secret counts as much as the password marker: `ke driver verify` warns about such options and
// the host treats them as password options (redacted everywhere, never stored).

const SECRET_WORDS = new Set(['token', 'key', 'secret', 'password', 'pass', 'passwd', 'passphrase', 'credential', 'credentials', 'apikey', 'accesskey', 'secretkey'])
/** `ssh-key-name`, `kms-key-id`, `key-pair`: about a secret, not the secret itself. */
const NOT_SECRET_ENDINGS = new Set(['name', 'id', 'arn', 'path', 'file', 'type', 'length', 'size', 'bits', 'count', 'format', 'algorithm', 'pair', 'region', 'ref'])

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
}

export function looksSecret(name: string): boolean {
  const parts = words(name)
  if (parts.length === 0 || NOT_SECRET_ENDINGS.has(parts[parts.length - 1])) return false
  return parts.some((part) => SECRET_WORDS.has(part))
}

/** A string option whose name looks secret, whether or not the driver marked it password. */
export function isSecretByName(name: string, type: string): boolean {
  return type === 'string' && looksSecret(name)
}

/** Declared password, or a string option named like a secret: handled alike by the host. */
export function isSecretOption(option: {name: string; type: string; password: boolean}): boolean {
  return option.password || isSecretByName(option.name, option.type)
}

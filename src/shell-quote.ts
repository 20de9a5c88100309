// Words of a command line ke prints for a user to run (a hint, a suggested command): quoted for a
// POSIX shell only where they need it, so that the common line stays as a person would type it.

/** `value` as one shell word: bare when it holds only characters no shell treats specially, else single-quoted. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

// Neither a binary nor a script: say what it looks like, since the fix depends on it.

export function guessContentKind(head: Buffer): string {
  if (head.length === 0) return 'empty'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.toString('latin1', 0, 4) === 'PK\x03\x04') return 'zip'
  if (head.toString('latin1', 0, 6) === '\xfd7zXZ\x00') return 'xz'
  if (head.toString('latin1', 0, 3) === 'BZh') return 'bzip2'
  if (head.toString('latin1', 257, 262) === 'ustar') return 'tar'
  const text = head.toString('utf8', 0, 512).trimStart().toLowerCase()
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html'
  if (text.startsWith('<?xml') || text.startsWith('<error')) return 'xml'
  if (text.startsWith('{')) return 'json'
  return looksLikeText(head) ? 'text' : 'data'
}

function looksLikeText(head: Buffer): boolean {
  return !head.subarray(0, 512).some((byte) => byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d))
}

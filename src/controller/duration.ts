// Durations as flags take them (`30s`, `2m`, `500ms`, `1h`; a bare number is seconds).
import {KeError} from '../errors.js'

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) throw new KeError('BAD_FLAG', `${flag} ${JSON.stringify(text)} is not a duration`, {hint: `e.g. ${flag} 30s (units: ms, s, m, h)`})
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's'])
}

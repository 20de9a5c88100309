// The "did you mean" of every typo ke answers: commands, flags, config-file keys.

function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}

/** The known name closest to `given`, when it is close enough to be a typo. */
export function nearestName(given: string, known: string[]): string | undefined {
  let best: {name: string; score: number} | undefined
  for (const name of known) {
    // the very name given is no suggestion: it was refused as it is (a flag this command lacks)
    if (name === given) continue
    const score = distance(given, name)
    if (!best || score < best.score) best = {name, score}
  }
  return best && best.score <= Math.max(2, Math.floor(given.length / 3)) ? best.name : undefined
}

/** Left-aligned columns separated by three spaces, like kubectl and docker-machine. */
export function renderTable(headers: string[], rows: string[][], visibleLength: (text: string) => number = (t) => t.length): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => visibleLength(row[i] ?? ''))))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell) + 3)))
      .join('')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length
}

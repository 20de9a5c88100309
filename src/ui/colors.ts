// Colour lives only here. NO_COLOR and --no-color turn it off; so does a stream that is not a TTY.
import {Chalk, type ChalkInstance} from 'chalk'

export type Colors = ChalkInstance

export function makeColors(opts: {noColor: boolean; isTTY: boolean}): Colors {
  const off = opts.noColor || process.env.NO_COLOR !== undefined || !opts.isTTY
  return new Chalk({level: off ? 0 : 1})
}

export function colorStatus(c: Colors, status: string): string {
  if (status === 'Running') return c.green(status)
  if (status === 'Error' || status === 'unreadable') return c.red(status)
  return c.yellow(status)
}

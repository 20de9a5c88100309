// Since 0.1.0 the SDK calls create(info, options), info first like every other method; before, it was
// create(options, info). TypeScript authors get a compile error; a JavaScript driver still written the
// old way gets the swapped arguments, and these two checks say so in one line instead of leaving a
// puzzling TypeError or a retry that silently forgets its stored info.
import {log} from './log.js'
import {Options} from './options.js'

const NEW_ORDER = "the SDK calls create(info, options) since 0.1.0, info first like every other method: a create written as (options, info) must swap its parameters"

const OPTIONS_MEMBERS = new Set([...Object.getOwnPropertyNames(Options.prototype).filter((name) => name !== 'constructor'), 'raw'])

// What V8 says when code reads an Options member off what is not an Options: on a first create the old
// order's `options` is undefined ("reading 'string'"), on a retry it is the stored info ("x.int is not a function").
const MISSING_MEMBER = /\(reading '(\w+)'\)$|\.(\w+) is not a function$/

/** The error create threw, with the new order named when it is the TypeError the old order causes. */
export function withCreateOrderHint(error: unknown): unknown {
  if (!(error instanceof TypeError)) return error
  const match = MISSING_MEMBER.exec(error.message)
  const member = match?.[1] ?? match?.[2]
  if (!member || !OPTIONS_MEMBERS.has(member)) return error
  return new Error(`${error.message} (${NEW_ORDER})`)
}

/**
 * The old order builds the reply on the options (`saveState(info, ...)` with `info` being the options),
 * so the reply carries the options' own `raw`. The cluster exists by then: warn (ke shows it) rather than
 * fail and lose track of what was made.
 */
export function warnIfCreateReturnedOptions(reply: unknown, options: Options): void {
  if ((reply as {raw?: unknown} | undefined)?.raw === options.raw) log('warning', `create returned its options as the cluster's info: ${NEW_ORDER}`)
}

// Flags of `ke update` that only a create can take.
import {KeError} from '../errors.js'
import type {OptionSpec} from '../driver/options/options.js'

/** Flag names written in argv (`--x`, `--x=v`, `--no-x`), before any `--`. */
function flagNamesIn(argv: string[]): string[] {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).filter((arg) => arg.startsWith('--') && arg.length > 2).map((arg) => arg.slice(2).split('=')[0])
}

/** The first create option given as a flag that is neither an update option nor one of ke's flags. */
export function createOnlyOptionIn(argv: string[], create: OptionSpec[], update: OptionSpec[], ownFlags: ReadonlySet<string>): OptionSpec | undefined {
  const known = new Set([...ownFlags, ...update.map((spec) => spec.flagName)])
  for (const name of flagNamesIn(argv)) {
    if (known.has(name) || known.has(name.replace(/^no-/, ''))) continue
    const spec = create.find((candidate) => candidate.flagName === name || `no-${candidate.flagName}` === name)
    if (spec) return spec
  }
  return undefined
}

/** Refuses `ke update x --region eu` for an option only a create takes, naming what update takes. */
export function refuseCreateOnlyOptions(argv: string[], create: OptionSpec[], update: OptionSpec[], ownFlags: ReadonlySet<string>, driver: string, cluster: string): void {
  const spec = createOnlyOptionIn(argv, create, update, ownFlags)
  if (!spec) return
  const updatable = update.map((candidate) => `--${candidate.flagName}`).join(', ')
  const instead = updatable ? `driver ${driver} updates only ${updatable}` : `driver ${driver} declares no update options`
  throw new KeError('BAD_FLAG', `--${spec.flagName} is a create-only option of driver ${driver}: update cannot change it`, {
    cluster,
    hint: `${instead}; \`--set ${spec.name}=VALUE\` sends it anyway if the driver reads it`,
  })
}

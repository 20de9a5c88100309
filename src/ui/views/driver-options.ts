// Human view of `ke driver options`: the declared options as a sorted table.
import {formatValue} from '../../driver/options/options.js'
import type {OptionsListing} from '../../verify/inspect.js'
import type {Colors} from '../colors.js'
import {renderTable, visibleLength} from '../table.js'

export function renderDriverOptions(listing: OptionsListing, c: Colors): string {
  if (listing.options.length === 0) return `driver ${listing.driver} declares no ${listing.kind} options`
  const rows = listing.options.map((option) => [
    option.name,
    option.type,
    option.default === undefined ? c.dim('-') : formatValue(option.default) || '""',
    option.password ? 'yes' : 'no',
    option.usage || c.dim('(no usage)'),
  ])
  return renderTable(['NAME', 'TYPE', 'DEFAULT', 'PASSWORD', 'USAGE'], rows, visibleLength)
}

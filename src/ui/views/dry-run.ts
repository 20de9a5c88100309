import type {DryRun, ValueOrigin} from '../../cluster/dry-run.js'
import {formatValue} from '../../driver/options/options.js'
import {renderTable} from '../table.js'

const SOURCE_TEXT: Record<string, string> = {
  flag: 'flag',
  env: 'environment',
  config: 'config file',
  set: '--set',
  default: 'driver Default',
  'flag-value': 'driver Flag.value',
  stored: 'stored (earlier run)',
  metadata: 'cluster metadata',
  state: 'driver state',
}

/** Where a value came from; for an unset option, also whether anything is sent for it. */
function sourceText(origin: ValueOrigin): string {
  if (origin.source !== 'unset') return SOURCE_TEXT[origin.source] ?? origin.source
  if (origin.stored !== undefined) return `unset, not sent (stored by create/update: ${formatValue(origin.stored)})`
  return origin.value === undefined ? 'unset, not sent' : 'unset, zero value sent'
}

export function renderDryRun(dry: DryRun): string {
  const table = renderTable(
    ['OPTION', 'TYPE', 'VALUE', 'FROM'],
    dry.sources.map((s) => [s.name, s.type, s.value === undefined ? '' : formatValue(s.value), sourceText(s)]),
  )
  return [`Would ${dry.action} ${dry.name} with driver ${dry.driver}; nothing was ${dry.action === 'create' ? 'created' : 'changed'}.`, '', table, '', 'DriverOptions sent:', JSON.stringify(dry.options, null, 2)].join('\n')
}

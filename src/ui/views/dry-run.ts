import type {DryRun} from '../../cluster/dry-run.js'
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
  unset: 'unset',
  kept: 'not sent: unchanged',
}

export function renderDryRun(dry: DryRun): string {
  const table = renderTable(
    ['OPTION', 'TYPE', 'VALUE', 'FROM'],
    dry.sources.map((s) => [s.name, s.type, s.value === undefined ? '' : formatValue(s.value), SOURCE_TEXT[s.source] ?? s.source]),
  )
  return [`Would ${dry.action} ${dry.name} with driver ${dry.driver}; nothing was ${dry.action === 'create' ? 'created' : 'changed'}.`, '', table, '', 'DriverOptions sent:', JSON.stringify(dry.options, null, 2)].join('\n')
}

import type {DryRun} from '../../cluster/create-flow.js'
import {formatValue} from '../../driver/options.js'
import {renderTable} from '../table.js'

const SOURCE_TEXT: Record<string, string> = {
  flag: 'flag',
  env: 'environment',
  config: 'config file',
  set: '--set',
  default: 'driver Default',
  'flag-value': 'driver Flag.value',
  stored: 'stored (earlier run)',
  unset: 'unset',
}

export function renderDryRun(dry: DryRun): string {
  const table = renderTable(
    ['OPTION', 'TYPE', 'VALUE', 'FROM'],
    dry.sources.map((s) => [s.name, s.type, s.value === undefined ? '' : formatValue(s.value), SOURCE_TEXT[s.source] ?? s.source]),
  )
  return [`Would create ${dry.name} with driver ${dry.driver}; nothing was created.`, '', table, '', 'DriverOptions sent:', JSON.stringify(dry.options, null, 2)].join('\n')
}

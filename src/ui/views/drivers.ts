// Views of `ke driver install`, `ke driver ls` and `ke driver rm`.
import type {InstallResult} from '../../driver/install/install.js'
import type {DriverListing, InstalledChecksum} from '../../driver/install/installed.js'
import type {UninstallResult} from '../../driver/install/uninstall.js'
import type {Colors} from '../colors.js'
import {renderTable, visibleLength} from '../table.js'

/** One row of `ke driver ls`, also its --json element. Null: the driver was put there by hand. */
export interface DriverRow {
  name: string
  path: string
  present: boolean
  source: string | null
  checksum: InstalledChecksum | null
  installedAt: string | null
}

export function toDriverRow(listing: DriverListing): DriverRow {
  return {
    name: listing.name,
    path: listing.path,
    present: listing.present,
    source: listing.record?.source ?? null,
    checksum: listing.record?.checksum ?? null,
    installedAt: listing.record?.installedAt ?? null,
  }
}

/** Short enough for a table; --json has the whole digest. */
function shortChecksum(checksum: InstalledChecksum | null): string {
  return checksum ? `${checksum.algorithm}:${checksum.hex.slice(0, 12)}` : '-'
}

export function renderDriverTable(rows: DriverRow[], c: Colors): string {
  if (rows.length === 0) return 'No drivers installed. Install one with `ke driver install URL`; `--driver sample` is built in.'
  return renderTable(
    ['NAME', 'PATH', 'SOURCE', 'CHECKSUM', 'INSTALLED'],
    rows.map((row) => [
      row.name,
      row.present ? row.path : `${row.path} ${c.red('(missing)')}`,
      row.source ?? '-',
      shortChecksum(row.checksum),
      row.installedAt ? row.installedAt.slice(0, 19).replace('T', ' ') : '-',
    ]),
    visibleLength,
  )
}

/** `helpCommand`: the command line that shows the driver's options, as the user can run it here. */
export function renderInstalled(result: InstallResult, c: Colors, helpCommand: string): string {
  const check = result.checksum.verified ? c.green('verified') : 'not pinned: pass --checksum to verify next time'
  return [
    `${result.replaced ? 'Replaced' : 'Installed'} driver ${c.bold(result.name)} from ${result.source}`,
    `  path:     ${result.path}`,
    `  ${`${result.checksum.algorithm}:`.padEnd(9)} ${result.checksum.hex} (${check})`,
    ...(result.archiveEntry ? [`  from:     ${result.archiveEntry} in the archive`] : []),
    `  use it:   ${helpCommand}`,
  ].join('\n')
}

export function renderUninstalled(result: UninstallResult): string {
  return `Removed driver ${result.name}${result.removedFile ? '' : ' (its file was already gone; record dropped)'}`
}

export function usedByWarning(name: string, usedBy: string[]): string | undefined {
  if (usedBy.length === 0) return undefined
  return `cluster${usedBy.length === 1 ? '' : 's'} ${usedBy.join(', ')} ${usedBy.length === 1 ? 'uses' : 'use'} driver ${name}; reinstall it to manage ${usedBy.length === 1 ? 'it' : 'them'}`
}

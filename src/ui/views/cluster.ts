import type {ClusterRecord} from '../../store/cluster-record.js'
import type {ClusterSummary, UnreadableCluster} from '../../store/cluster-store.js'
import {colorStatus, type Colors} from '../colors.js'
import {renderTable, visibleLength} from '../table.js'

export interface ClusterRow {
  name: string
  driver: string
  version: string
  endpoint: string
  nodes: number | null
  status: string
  reason?: string
}

export function toRow(entry: ClusterSummary | UnreadableCluster): ClusterRow {
  if ('unreadable' in entry) return {name: entry.name, driver: '', version: '', endpoint: '', nodes: null, status: 'unreadable', reason: entry.unreadable}
  return {
    name: entry.name,
    driver: entry.driver.display,
    version: entry.info?.version ?? '',
    endpoint: entry.info?.endpoint ?? '',
    nodes: entry.info ? entry.info.nodeCount : null,
    status: entry.status,
    ...(entry.reason ? {reason: entry.reason} : {}),
  }
}

export function renderClusterTable(rows: ClusterRow[], c: Colors): string {
  return renderTable(
    ['NAME', 'DRIVER', 'VERSION', 'ENDPOINT', 'NODES', 'STATUS'],
    rows.map((row) => [row.name, row.driver, row.version, row.endpoint, row.nodes === null ? '' : String(row.nodes), colorStatus(c, row.status)]),
    visibleLength,
  )
}

/** "1 node", "3 nodes". */
export function nodes(count: number): string {
  return `${count} node${count === 1 ? '' : 's'}`
}

/** `envCommand`: the command line that prints the cluster's export line, as the user can run it here. */
export function clusterSummary(cluster: ClusterRecord, c: Colors, envCommand: string): string {
  const info = cluster.info
  const facts = [`driver ${cluster.driver.display}`]
  if (info?.version) facts.push(`Kubernetes ${info.version}`)
  if (info?.nodeCount) facts.push(nodes(info.nodeCount))
  const lines = [`Cluster ${c.bold(cluster.name)} is ${colorStatus(c, cluster.status)} (${facts.join(', ')})`]
  if (info?.endpoint) lines.push(`  endpoint: ${info.endpoint}`)
  lines.push(`  use it:   eval "$(${envCommand})"`)
  return lines.join('\n')
}

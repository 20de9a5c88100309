import type {CapabilitiesReport} from '../../cluster/operations.js'
import {CAPABILITY_ACTIONS, CAPABILITY_NAMES} from '../../protocol/capabilities.js'
import type {Colors} from '../colors.js'

export function renderCapabilities(report: CapabilitiesReport, c: Colors): string {
  const lines = CAPABILITY_NAMES.map((name) => `${report.capabilities[name] ? c.green('yes') : c.red('no ')}  ${name} (${CAPABILITY_ACTIONS[name]})`)
  const k8s = report.k8s
  const lb = k8s.l4LoadBalancer
  lines.push('', 'Kubernetes capabilities:')
  lines.push(`  L4 load balancer: ${lb?.enabled ? `${lb.provider} (${lb.protocolsSupported.join(', ')}${lb.healthCheckSupported ? ', health checks' : ''})` : 'none'}`)
  lines.push(`  ingress controllers: ${k8s.ingressControllers.map((i) => i.ingressProvider).join(', ') || 'none'}`)
  lines.push(`  node pool scaling: ${k8s.nodePoolScalingSupported ? 'yes' : 'no'}`)
  lines.push(`  node port range: ${k8s.nodePortRange || 'unknown'}`)
  return lines.join('\n')
}

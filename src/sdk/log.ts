// Drivers log to stderr only (stdout is for nothing the host parses either, but Go drivers use stderr),
// in logrus' text format so Rancher's log routing treats SDK drivers like Go ones.
export type LogLevel = 'debug' | 'info' | 'warning' | 'error'

function quote(value: string): string {
  return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value
}

export function log(level: LogLevel, msg: string, fields: Record<string, string | number | boolean> = {}): void {
  const extra = Object.entries(fields).map(([key, value]) => ` ${key}=${quote(String(value))}`).join('')
  process.stderr.write(`time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}${extra}\n`)
}

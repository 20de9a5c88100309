// Reading `ke driver verify --json` reports in tests.
import assert from 'node:assert/strict'

export interface ReportedCheck {
  name: string
  status: string
  reason: string
}

/** The check named `name`; fails the test, listing the names there are, when it is missing. */
export function checkNamed(checks: ReportedCheck[], name: string): ReportedCheck {
  const found = checks.find((c) => c.name === name)
  assert.ok(found, `no check ${name} in ${checks.map((c) => c.name).join(', ')}`)
  return found
}

// Scripts branch on ke's exit codes: every code ke can exit with is listed in `--help` and in the
// README's exit-code table, SIGHUP's 129 (the terminal closed) among them.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {ExitCode} from '../../src/errors.js'
import {freshHome} from '../support/homes.js'
import {ROOT, runKe} from '../support/ke.js'

/** The EXIT CODES section of a help text, its indented lines. */
function exitCodesSection(help: string): string {
  const section = /^EXIT CODES\n((?: {2}.*(?:\n|$))+)/m.exec(help)
  assert.ok(section, `the help has an EXIT CODES section:\n${help}`)
  return section[1]
}

function readmeExitTable(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('### Exit codes')
  assert.ok(start >= 0, 'README has an exit-code section')
  return readme.slice(start, readme.indexOf('\n\n', readme.indexOf('| code |', start)))
}

describe('exit codes are documented', () => {
  for (const args of [['--help'], ['create', '--help']]) {
    it(`\`ke ${args.join(' ')}\` lists 129 for SIGHUP beside 130 and 143`, async (t) => {
      const result = await runKe(args, {home: freshHome(t)})
      assert.equal(result.code, 0, result.stderr)
      const section = exitCodesSection(result.stdout)
      assert.match(section, /\b129 hung up \(SIGHUP[^)]*\)/)
      for (const code of Object.values(ExitCode)) assert.match(section, new RegExp(`\\b${code}\\b`), `exit code ${code} is missing from:\n${section}`)
    })
  }

  it("the README's exit-code table lists every exit code, 129 (SIGHUP) among them", () => {
    const table = readmeExitTable()
    assert.match(table, /\| 130 \/ 143 \/ 129 \| interrupted by SIGINT \(Ctrl-C\) \/ SIGTERM \/ SIGHUP/)
    for (const code of Object.values(ExitCode)) assert.match(table, new RegExp(`\\| (?:\\d+ / )*${code}\\b`), `exit code ${code} is missing from the README table`)
  })
})

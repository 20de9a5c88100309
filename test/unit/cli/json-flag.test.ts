// --json in every command's help is ke's (JSON_FLAG), and a command that turns JSON off offers none
// that it did not declare itself: BaseCommand's global flags carry JSON_FLAG to every command.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {JSON_FLAG, jsonRequested} from '../../../src/cli/command-session.js'

type ManifestFlag = {description?: string}
type ManifestCommand = {enableJsonFlag?: boolean; flags: Record<string, ManifestFlag>}
const manifest = JSON.parse(readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8')) as {commands: Record<string, ManifestCommand>}
const commands = Object.entries(manifest.commands)

describe('--json', () => {
  it('is described in ke\'s words in every command that prints JSON', () => {
    const withJson = commands.filter(([, command]) => command.enableJsonFlag)
    assert.ok(withJson.length > 20, 'the built manifest lists the commands')
    for (const [id, command] of withJson) assert.equal(command.flags.json?.description, JSON_FLAG.description, id)
  })

  it('is offered by a command that turns JSON off only when it declares one of its own', () => {
    const without = Object.fromEntries(commands.filter(([, command]) => !command.enableJsonFlag).map(([id, command]) => [id, command.flags.json?.description]))
    assert.deepEqual(without, {help: undefined, controller: 'the same as --log-format json (the log is the only output)'})
  })
})

describe('whether a command line asks for JSON', () => {
  it('is --json or --json=true|1|yes before any `--`, or KE_CONTENT_TYPE=json, for a command that enables it', () => {
    const asked = (argv: string[], env: NodeJS.ProcessEnv = {}) => jsonRequested(argv, true, env)
    assert.deepEqual(
      [asked(['--json']), asked(['--json=TRUE']), asked(['--json=1']), asked(['--json=no']), asked(['--', '--json']), asked(['x', '--json=yes', '--']), asked([], {KE_CONTENT_TYPE: 'JSON'})],
      [true, true, true, false, false, true, true],
    )
    assert.equal(jsonRequested(['--json'], false, {}), false, 'a command that turns JSON off')
  })
})

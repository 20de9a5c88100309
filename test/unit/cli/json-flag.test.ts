// --json in every command's help is ke's (JSON_FLAG), and a command that turns JSON off offers none
// that it did not declare itself: oclif adds its own --json to every command's flags.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {JSON_FLAG} from '../../../src/cli/command-session.js'

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

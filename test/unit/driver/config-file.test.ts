// `--config FILE`: option values in JSON or YAML, flattened the way Rancher flattens its API spec.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {readConfigFile} from '../../../src/driver/options/config-file.js'
import {KeError} from '../../../src/errors.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ke-config-unit-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

function fileWith(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function read(name: string, text: string): Promise<Record<string, unknown>> {
  return Object.fromEntries(await readConfigFile(fileWith(name, text)))
}

function badConfig(message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof KeError, `expected a KeError, got ${String(error)}`)
    assert.equal(error.keCode, 'BAD_CONFIG')
    assert.equal(error.message, message)
    return true
  }
}

describe('config file › formats', () => {
  it('reads a JSON file of option values', async () => {
    // Given a JSON file
    // When it is read
    const values = await read('c.json', '{"region": "us-east", "node-count": 3, "private": true, "zones": ["a", "b"]}')

    // Then every value keeps its type
    assert.deepEqual(values, {region: 'us-east', 'node-count': 3, private: true, zones: ['a', 'b']})
  })

  it('reads a YAML file of option values', async () => {
    // Given a YAML file
    // When it is read
    const values = await read('c.yaml', 'region: us-east\nnodeCount: 3\nprivate: false\nzones:\n  - a\n  - b\n')

    // Then every value keeps its type
    assert.deepEqual(values, {region: 'us-east', nodeCount: 3, private: false, zones: ['a', 'b']})
  })

  it('reads an empty file as no values', async () => {
    // Given an empty file
    // Then there are no values
    assert.deepEqual(await read('c.yaml', ''), {})
  })

  it('skips null values', async () => {
    // Given a key without a value
    // Then it is left out
    assert.deepEqual(await read('c.yaml', 'region:\nzone: b\n'), {zone: 'b'})
  })
})

describe('config file › flattening', () => {
  it('turns a labels map into k=v strings, as Rancher does', async () => {
    // Given labels as a map
    // When the file is read
    const values = await read('c.yaml', 'labels:\n  env: prod\n  tier: 2\n')

    // Then labels is a list of k=v
    assert.deepEqual(values, {labels: ['env=prod', 'tier=2']})
  })

  it('flattens nested maps into top-level keys', async () => {
    // Given options grouped under a nested map
    // When the file is read
    const values = await read('c.yaml', 'region: us\nnodePool:\n  size: 3\n  machine:\n    type: m5\n')

    // Then the innermost keys are at the top level
    assert.deepEqual(values, {region: 'us', size: 3, type: 'm5'})
  })

  it('packs each object in a list into a JSON string', async () => {
    // Given a list of objects and a list of scalars
    // When the file is read
    const values = await read('c.json', '{"nodePools": [{"name": "p1", "count": 2}], "tags": [1, true, "x"]}')

    // Then objects become JSON text and scalars become text
    assert.deepEqual(values, {nodePools: ['{"name":"p1","count":2}'], tags: ['1', 'true', 'x']})
  })

  it('refuses a number that is not a whole number ke can send exactly', async () => {
    // Given a fractional value
    const file = fileWith('c.yaml', 'ratio: 1.5\n')

    // When the file is read
    // Then the error names the file and the key
    await assert.rejects(readConfigFile(file), badConfig(`config file ${file}: key ratio must be a whole number, got 1.5`))
  })
})

describe('config file › unusable files', () => {
  it('names a missing file', async () => {
    // Given a path with no file
    const file = join(dir, 'missing.yaml')

    // Then the error says so
    await assert.rejects(readConfigFile(file), badConfig(`config file ${file}: no such file`))
  })

  it('names a directory given as the file', async () => {
    // Given a directory
    // Then the error says it is a directory
    await assert.rejects(readConfigFile(dir), badConfig(`config file ${dir}: is a directory`))
  })

  it('names a file that is neither JSON nor YAML', async () => {
    // Given broken YAML
    const file = fileWith('c.yaml', 'region: [us\n  zone: : :\n')

    // When it is read
    // Then the error names the file and says what is wrong
    await assert.rejects(readConfigFile(file), (error: unknown) => {
      assert.ok(error instanceof KeError)
      assert.equal(error.keCode, 'BAD_CONFIG')
      assert.ok(error.message.startsWith(`config file ${file} is not valid JSON or YAML: `), error.message)
      assert.equal(error.message.includes('\n'), false)
      return true
    })
  })

  it('refuses a file whose top level is a list', async () => {
    // Given a YAML list
    const file = fileWith('c.yaml', '- region\n- zone\n')

    // Then the error says the file must hold a map
    await assert.rejects(readConfigFile(file), badConfig(`config file ${file} must hold a map of option names to values`))
  })

  it('refuses a file whose top level is a single value', async () => {
    // Given a JSON string
    const file = fileWith('c.json', '"us-east"')

    // Then the error says the file must hold a map
    await assert.rejects(readConfigFile(file), badConfig(`config file ${file} must hold a map of option names to values`))
  })
})

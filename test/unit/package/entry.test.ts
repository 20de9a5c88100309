// Names and places of a packaged driver: Rancher derives the driver's name from the file name, so these
// rules decide what the driver is called in Rancher.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {nameFromEntryPath, planOutput, rancherDriverName, resolveEntry} from '../../../src/package/entry.js'
import {isKeError} from '../../../src/errors.js'

let dir: string

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ke-package-entry-'))
})

after(() => rmSync(dir, {recursive: true, force: true}))

describe('rancherDriverName', () => {
  it('cuts the name after the prefix at the first -, _ or . as Rancher does', () => {
    assert.equal(rancherDriverName('kontainer-engine-driver-lke-v0.0.13-linux-amd64'), 'lke')
    assert.equal(rancherDriverName('kontainer-engine-driver-acme_linux'), 'acme')
    assert.equal(rancherDriverName('kontainer-engine-driver-sample'), 'sample')
  })

  it('gives no name without the prefix or with nothing after it', () => {
    assert.equal(rancherDriverName('acme-driver'), undefined)
    assert.equal(rancherDriverName('kontainer-engine-driver-'), undefined)
  })
})

describe('nameFromEntryPath', () => {
  it('names a driver after its project directory when the entry is src/main.ts', () => {
    assert.equal(nameFromEntryPath('/home/me/kontainer-engine-driver-acme/src/main.ts'), 'acme')
    assert.equal(nameFromEntryPath('/home/me/acme-cloud/src/index.ts'), 'acme')
  })

  it('names a driver after its entry file when the file name says which driver it is', () => {
    assert.equal(nameFromEntryPath('/home/me/drivers/Linode.ts'), 'linode')
  })
})

describe('resolveEntry', () => {
  it('resolves sample to the built-in sample driver', () => {
    const entry = resolveEntry('sample', dir)
    assert.equal(entry.name, 'sample')
    assert.match(entry.file, /drivers\/sample\/main\.(ts|js)$/)
  })

  it('is a usage error for an ENTRY that is not a TypeScript or JavaScript file', () => {
    // Given a Go driver binary where an entry file belongs
    const binary = join(dir, 'kontainer-engine-driver-go')
    writeFileSync(binary, 'ELF')

    // When it is resolved, Then it is refused as a bad argument
    assert.throws(() => resolveEntry(binary, dir), (error) => isKeError(error) && error.keCode === 'BAD_ARGUMENT' && /is not a TypeScript or JavaScript file/.test(error.message))
  })
})

describe('planOutput', () => {
  const entry = {file: '/p/acme/src/main.ts', name: 'acme'}

  it('writes kontainer-engine-driver-NAME into the current directory without -o', () => {
    const plan = planOutput(entry, undefined, dir)
    assert.equal(plan.executable, join(dir, 'kontainer-engine-driver-acme'))
    assert.equal(plan.name, 'acme')
    assert.deepEqual(plan.warnings, [])
  })

  it('puts the executable into a directory given as -o', () => {
    mkdirSync(join(dir, 'out'), {recursive: true})
    assert.equal(planOutput(entry, 'out', dir).executable, join(dir, 'out', 'kontainer-engine-driver-acme'))
  })

  it('takes the name from -o as Rancher will, and names the file in the archive after it', () => {
    // Given -o with a version and platform suffix, as release assets are named
    const plan = planOutput(entry, 'dist/kontainer-engine-driver-acme2-v1.0.0-linux-amd64', dir)

    // Then Rancher's name for the download is the archive's file name too
    assert.equal(plan.name, 'acme2')
    assert.equal(plan.archiveEntry, 'kontainer-engine-driver-acme2')
  })

  it('warns when -o lacks the kontainer-engine-driver- prefix Rancher requires of a downloaded binary', () => {
    const plan = planOutput(entry, 'acme-linux-amd64', dir)
    assert.equal(plan.name, 'acme')
    assert.match(plan.warnings[0], /does not start with kontainer-engine-driver-/)
  })

  it('does not warn of the prefix with --archive, whose entry carries the name Rancher reads', () => {
    const plan = planOutput(entry, 'acme-linux-amd64', dir, {archive: true})
    assert.deepEqual([plan.name, plan.archiveEntry, plan.warnings], ['acme', 'kontainer-engine-driver-acme', []])
  })

  it('is a usage error when -o names an archive', () => {
    assert.throws(() => planOutput(entry, 'acme.tar.gz', dir), (error) => isKeError(error) && error.keCode === 'BAD_FLAG')
  })
})

// Records and locks are data and OS facts: src/store/cluster-record.ts, the file store's lock and the
// Kubernetes store's Lease lock (every file under src/store/) import no driver or lifecycle code (issue 15, "Shape of the code"), and
// the process facts the locks need live in src/os/, which imports nothing of ke.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {ROOT} from '../../support/ke.js'

/** The module paths a source file imports (static and type imports and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1])
}

describe('layering of records and locks', () => {
  const storeFiles = readdirSync(join(ROOT, 'src', 'store'), {recursive: true, encoding: 'utf8'})
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/store/${file}`)
    .sort()

  it('looks at every store file, records, locks and both stores among them', () => {
    assert.ok(importsOf('src/store/kubernetes/kubernetes-store.ts').length > 5, 'the scan finds imports')
    for (const file of ['src/store/cluster-record.ts', 'src/store/file/lock.ts', 'src/store/kubernetes/lease-lock.ts', 'src/store/kubernetes/cluster-object.ts', 'src/store/kubernetes/crd.ts']) assert.ok(storeFiles.includes(file), file)
  })

  for (const file of storeFiles) {
    it(`${file} imports nothing from src/driver/ or src/cluster/`, () => {
      const imports = importsOf(file)
      assert.deepEqual(imports.filter((path) => /\/(driver|cluster)\//.test(path)), [])
    })
  }

  it('src/os/processes.ts imports only node modules', () => {
    assert.deepEqual(importsOf('src/os/processes.ts').filter((path) => !path.startsWith('node:')), [])
  })
})

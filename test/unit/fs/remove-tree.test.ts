// Removing a cluster's folder (ke rm) and all in it, without Node's recursive remover where a plain walk
// will do: what is removed, what stays, and what fails must be as rmSync(recursive, force) has it.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {removeAllBut, removeTree} from '../../../src/fs/atomic.js'

describe('removeTree', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ke-remove-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('removes a folder with files and folders in it', () => {
    const cluster = join(dir, 'cluster')
    mkdirSync(join(cluster, 'nested', 'deeper'), {recursive: true})
    for (const file of ['cluster.json', 'driver.log', join('nested', 'a'), join('nested', 'deeper', 'b')]) writeFileSync(join(cluster, file), 'x')
    removeTree(cluster)
    assert.deepEqual(readdirSync(dir), [])
  })

  it('removes a link, not what it points to', () => {
    const cluster = join(dir, 'cluster')
    const outside = join(dir, 'outside')
    mkdirSync(cluster)
    mkdirSync(outside)
    writeFileSync(join(outside, 'keep'), 'x')
    symlinkSync(outside, join(cluster, 'link'))
    removeTree(cluster)
    assert.equal(existsSync(cluster), false)
    assert.deepEqual(readdirSync(outside), ['keep'])
  })

  it('removes a link named as the path itself, not what it points to', () => {
    const outside = join(dir, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'keep'), 'x')
    symlinkSync(outside, join(dir, 'cluster'))
    removeTree(join(dir, 'cluster'))
    assert.deepEqual(readdirSync(dir), ['outside'])
    assert.deepEqual(readdirSync(outside), ['keep'])
  })

  it('removes a link that points nowhere', () => {
    symlinkSync(join(dir, 'gone'), join(dir, 'cluster'))
    removeTree(join(dir, 'cluster'))
    assert.deepEqual(readdirSync(dir), [])
  })

  it('is fine with a path already gone, and removes a plain file', () => {
    removeTree(join(dir, 'never-there'))
    writeFileSync(join(dir, 'file'), 'x')
    removeTree(join(dir, 'file'))
    assert.deepEqual(readdirSync(dir), [])
  })

  it('fails where rmSync fails: a path below a file', () => {
    writeFileSync(join(dir, 'file'), 'x')
    assert.throws(() => removeTree(join(dir, 'file', 'below')), {code: 'ENOTDIR'})
  })
})

describe('removeAllBut', () => {
  it('keeps the one file named and removes the rest, folders too', (t) => {
    const cluster = mkdtempSync(join(tmpdir(), 'ke-remove-'))
    t.after(() => rmSync(cluster, {recursive: true, force: true}))
    mkdirSync(join(cluster, 'nested'))
    for (const file of ['cluster.json', 'driver.log', join('nested', 'a')]) writeFileSync(join(cluster, file), 'x')
    const outside = mkdtempSync(join(tmpdir(), 'ke-outside-'))
    t.after(() => rmSync(outside, {recursive: true, force: true}))
    writeFileSync(join(outside, 'keep'), 'x')
    symlinkSync(outside, join(cluster, 'link'))
    removeAllBut(cluster, 'driver.log')
    assert.deepEqual(readdirSync(cluster), ['driver.log'])
    assert.deepEqual(readdirSync(outside), ['keep'])
  })
})

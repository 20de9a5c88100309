// `--store` / KE_STORE (issue 15): `file`, or `kubernetes[:CONTEXT][/NAMESPACE]`.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {KeError} from '../../../src/errors.js'
import {formatStoreSpec, parseStoreSpec, resolveStoreSpec} from '../../../src/store/store-spec.js'

describe('store spec', () => {
  it('reads file and every form of kubernetes', () => {
    assert.deepEqual(parseStoreSpec('file'), {kind: 'file'})
    assert.deepEqual(parseStoreSpec('kubernetes'), {kind: 'kubernetes'})
    assert.deepEqual(parseStoreSpec('kubernetes:prod'), {kind: 'kubernetes', context: 'prod'})
    assert.deepEqual(parseStoreSpec('kubernetes/ke-clusters'), {kind: 'kubernetes', namespace: 'ke-clusters'})
    assert.deepEqual(parseStoreSpec('kubernetes:prod/ke-clusters'), {kind: 'kubernetes', context: 'prod', namespace: 'ke-clusters'})
  })

  it('takes the namespace after the last slash, so a context may hold slashes and colons (EKS)', () => {
    const eks = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod'
    assert.deepEqual(parseStoreSpec(`kubernetes:${eks}/ke`), {kind: 'kubernetes', context: eks, namespace: 'ke'})
    // a trailing slash keeps the context's own namespace
    assert.deepEqual(parseStoreSpec(`kubernetes:${eks}/`), {kind: 'kubernetes', context: eks})
    assert.equal(formatStoreSpec({kind: 'kubernetes', context: eks}), `kubernetes:${eks}/`)
    assert.equal(formatStoreSpec({kind: 'kubernetes', context: 'prod', namespace: 'ke'}), 'kubernetes:prod/ke')
  })

  it('refuses an unknown store, an empty context and a bad namespace in one line, exit 2', () => {
    for (const [text, message] of [
      ['s3', '--store "s3": unknown store'],
      ['kubernetes:', '--store "kubernetes:": the context after `kubernetes:` is empty'],
      ['kubernetes:prod/Ke_Clusters', '--store "kubernetes:prod/Ke_Clusters": "Ke_Clusters" is not a namespace name (lower-case letters, digits and "-", at most 63)'],
    ]) {
      assert.throws(
        () => parseStoreSpec(text),
        (error: unknown) => error instanceof KeError && error.exitCode === 2 && error.message === message && error.hint === 'use `file` or `kubernetes[:CONTEXT][/NAMESPACE]`, e.g. `kubernetes:prod/ke-clusters`',
        text,
      )
    }
  })

  it('takes the flag over KE_STORE, and file when neither is set', () => {
    assert.deepEqual(resolveStoreSpec(undefined, {}), {kind: 'file'})
    assert.deepEqual(resolveStoreSpec(undefined, {KE_STORE: 'kubernetes/ke'}), {kind: 'kubernetes', namespace: 'ke'})
    assert.deepEqual(resolveStoreSpec('file', {KE_STORE: 'kubernetes/ke'}), {kind: 'file'})
    assert.throws(() => resolveStoreSpec(undefined, {KE_STORE: 'etcd'}), (error: unknown) => error instanceof KeError && error.message === 'KE_STORE "etcd": unknown store')
  })
})

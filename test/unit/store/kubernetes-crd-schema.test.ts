// The Cluster CRD as `ke store init` applies it keeps every schema keyword on the REAL API server: the
// conditions' `enum` sits inside `items`, which client-node's serializer passes through unconverted
// (a `_enum` there was dropped by the server without a word).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ApiextensionsV1Api} from '@kubernetes/client-node'
import {initStore} from '../../../src/store/kubernetes/init.js'
import {kubernetes, needsKubernetes} from '../../support/kubernetes.js'

describe('the Cluster CRD applied by store init', needsKubernetes, () => {
  it('keeps the enums of the conditions (type and status), as the API server stores them', async () => {
    // Given the CRD applied as `ke store init` applies it
    const kube = await kubernetes()
    const kc = kube.admin()
    await initStore({kc, namespace: 'default', label: 'kubernetes:test/default'})

    // Then the server's copy has the conditions' enums
    const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({name: 'clusters.ke.io'})
    const conditions = crd.spec.versions[0].schema!.openAPIV3Schema!.properties!.status.properties!.conditions
    const items = conditions.items as {properties: Record<string, {enum?: string[]; _enum?: string[]}>}
    assert.deepEqual(items.properties.type.enum, ['Provisioned', 'Ready'])
    assert.deepEqual(items.properties.status.enum, ['True', 'False', 'Unknown'])
    assert.equal(items.properties.status._enum, undefined)
    // and the typed levels kept theirs
    assert.equal(conditions.x_kubernetes_list_type, 'map')
  })
})

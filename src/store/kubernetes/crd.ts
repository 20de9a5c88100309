// The `Cluster` custom resource (ke.io/v1alpha1) that holds ke's records in Kubernetes (issue 15).
// Nothing secret has a place in it: the schema has no field for a token, key or state, and the
// API server prunes any field it does not declare. Written as client-node's typed model (`_enum`,
// `x_kubernetes_…`): its serializer drops keys spelled as in YAML.
import type {V1CustomResourceDefinition, V1JSONSchemaProps} from '@kubernetes/client-node'
import {STATUSES} from '../cluster-record.js'

export const GROUP = 'ke.io'
export const VERSION = 'v1alpha1'
export const API_VERSION = `${GROUP}/${VERSION}`
export const KIND = 'Cluster'
export const PLURAL = 'clusters'
export const CRD_NAME = `${PLURAL}.${GROUP}`
/** Cluster API's Cluster is `cl`, Rancher's has none but `clusters`: `kec` is ours alone. */
export const SHORT_NAME = 'kec'
/** Who wrote a field, in managedFields: ke's writes say so. */
export const FIELD_MANAGER = 'ke'
/** ke's statuses, Removing included (`ke rm` records it before the driver's Remove). */
export const PHASES = STATUSES

const string: V1JSONSchemaProps = {type: 'string'}
/**
 * An array's `items` is typed `any` in client-node's model, so its serializer sends what is inside as it
 * is: there keys are spelled as the API server reads them (`enum`), or the server drops them unseen.
 */
const condition = {
  type: 'object',
  required: ['type', 'status'],
  properties: {
    type: {type: 'string', enum: ['Provisioned', 'Ready']},
    status: {type: 'string', enum: ['True', 'False', 'Unknown']},
    reason: string,
    message: string,
    lastTransitionTime: {type: 'string', format: 'date-time'},
  },
} as V1JSONSchemaProps

const spec: V1JSONSchemaProps = {
  type: 'object',
  required: ['driver'],
  properties: {
    driver: {
      type: 'object',
      required: ['name'],
      properties: {
        name: {type: 'string', minLength: 1, description: 'what `ke --driver` takes: a built-in or installed driver, or a path'},
        display: {type: 'string', description: 'the driver as ke shows it'},
        url: {type: 'string', description: 'where `ke driver install` fetches it'},
        checksum: {type: 'string', description: 'its sha256, as `ke driver install --checksum` takes it'},
        attached: {type: 'string', description: '127.0.0.1:PORT of a driver ke attached to'},
      },
    },
    displayName: string,
    options: {
      type: 'object',
      description: 'non-secret option values, keys as in --config',
      x_kubernetes_preserve_unknown_fields: true,
    },
    optionsFrom: {
      type: 'array',
      description: 'Secrets whose keys supply options (password options)',
      items: {
        type: 'object',
        required: ['secretRef'],
        properties: {secretRef: {type: 'object', required: ['name'], properties: {name: {type: 'string', minLength: 1}}}},
      },
    },
    keyStyle: {type: 'string', _enum: ['both', 'declared', 'camel']},
  },
}

const status: V1JSONSchemaProps = {
  type: 'object',
  properties: {
    phase: {type: 'string', _enum: [...PHASES]},
    conditions: {
      type: 'array',
      items: condition,
      x_kubernetes_list_type: 'map',
      x_kubernetes_list_map_keys: ['type'],
    },
    observedGeneration: {type: 'integer', format: 'int64'},
    endpoint: string,
    version: string,
    nodeCount: {type: 'integer', minimum: 0},
    driverStatus: string,
    lastError: string,
    createdAt: {type: 'string', format: 'date-time'},
    updatedAt: {type: 'string', format: 'date-time'},
    history: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['at', 'status', 'command'],
        properties: {at: {type: 'string', format: 'date-time'}, status: {type: 'string'}, command: string, reason: string},
      },
    },
  },
}

/** The CustomResourceDefinition `ke store init` applies. */
export function clusterCrd(): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: CRD_NAME, labels: {'app.kubernetes.io/managed-by': 'ke'}},
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: 'cluster', shortNames: [SHORT_NAME], categories: ['ke']},
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: {status: {}},
          schema: {openAPIV3Schema: {type: 'object', required: ['spec'], properties: {spec, status}}},
          additionalPrinterColumns: [
            {name: 'Driver', type: 'string', jsonPath: '.spec.driver.name'},
            {name: 'Phase', type: 'string', jsonPath: '.status.phase'},
            // a spec refused before any driver call has no phase: Ready and its reason say why
            {name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status'},
            {name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason', priority: 1},
            {name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint'},
            {name: 'Version', type: 'string', jsonPath: '.status.version'},
            {name: 'Nodes', type: 'integer', jsonPath: '.status.nodeCount'},
            {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp'},
          ],
        },
      ],
    },
  }
}

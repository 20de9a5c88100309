// `ke driver schema`: the schema is printed as Rancher stores it, JSON, in human mode too.
import type {RancherSchema} from '../../driver/options/rancher-schema.js'

export function renderSchema(schema: RancherSchema): string {
  return JSON.stringify(schema, null, 2)
}

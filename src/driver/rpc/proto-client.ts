// The host's side of proto/drivers.proto: a grpc-js client for types.Driver (protocol/driver-service.ts).
import type * as Grpc from '@grpc/grpc-js'
import {loadDriverService} from '../../protocol/driver-service.js'
import type {GrpcClientApi} from '../../protocol/grpc-modules.js'
import {withInfoReplies} from '../../protocol/proto.js'

export interface DriverClientProto {
  grpc: GrpcClientApi
  Driver: Grpc.ServiceClientConstructor
}

let loaded: Promise<DriverClientProto> | undefined

/** Loads grpc-js and the service once per process; callers start it early to overlap with driver start-up. */
export function loadDriverClient(): Promise<DriverClientProto> {
  loaded ??= loadDriverService('client').then(({grpc, service}) => ({grpc, Driver: grpc.makeGenericClientConstructor(withInfoReplies(service), 'Driver')}))
  return loaded
}

// The one place gRPC status codes become ke errors (PROTOCOL.md "Errors", "What drivers in the wild do").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Status, grpcFailureToKeError, type CallContext, type GrpcFailure} from '../../../src/driver/rpc/grpc-errors.js'

const CALL: CallContext = {driver: 'acme', method: 'GetVersion'}

function mapped(failure: GrpcFailure, ctx: Partial<CallContext> = {}) {
  return grpcFailureToKeError(failure, {...CALL, ...ctx})
}

describe('grpc errors › not implemented', () => {
  it('maps UNIMPLEMENTED to DRIVER_UNSUPPORTED naming driver and method', () => {
    // Given an UNIMPLEMENTED status
    const error = mapped({code: Status.UNIMPLEMENTED, details: 'unknown method GetVersion for service types.Driver'})

    // Then the driver does not implement the method
    assert.deepEqual([error.keCode, error.message], ['DRIVER_UNSUPPORTED', 'driver acme does not implement GetVersion'])
  })

  it('maps Go\'s "Marshal called with nil" INTERNAL to DRIVER_UNSUPPORTED', () => {
    // Given what grpc-go puts on the wire for a handler that returned (nil, nil)
    const error = mapped({code: Status.INTERNAL, details: 'grpc: error while marshaling: proto: Marshal called with nil'}, {method: 'GetNodeCount'})

    // Then it is treated as not implemented
    assert.deepEqual([error.keCode, error.message], ['DRIVER_UNSUPPORTED', 'driver acme does not implement GetNodeCount'])
  })

  it('keeps any other INTERNAL error a call failure with its text', () => {
    // Given an INTERNAL status with another text
    const error = mapped({code: Status.INTERNAL, details: 'stream terminated by RST_STREAM'})

    // Then it is a call failure
    assert.deepEqual([error.keCode, error.message], ['DRIVER_CALL_FAILED', 'driver acme failed GetVersion: stream terminated by RST_STREAM'])
  })
})

describe('grpc errors › crashes', () => {
  it('maps UNAVAILABLE after the process exited to DRIVER_CRASHED naming the exit and the log tail', () => {
    // Given the process exited with code 2 and logged two lines after a ke note
    const process = {exit: 'exit code 2', logTail: ['[ke] started', 'panic: runtime error', 'goroutine 1 [running]']}

    // When a Create fails with UNAVAILABLE
    const error = mapped({code: Status.UNAVAILABLE, details: 'Connection dropped'}, {method: 'Create', cluster: 'c1', process})

    // Then the error names the exit status and shows the driver's lines, not ke's note
    assert.equal(error.keCode, 'DRIVER_CRASHED')
    assert.equal(
      error.message,
      'driver acme crashed during Create (exit code 2)\nlast lines of the driver log:\n  panic: runtime error\n  goroutine 1 [running]',
    )
    assert.match(error.hint ?? '', /`ke logs c1`/)
  })

  it('maps UNAVAILABLE from a live process to "does not speak the cluster-driver protocol"', () => {
    // Given a process that is still running
    const process = {logTail: []}

    // When a call fails with UNAVAILABLE
    const error = mapped({code: Status.UNAVAILABLE, details: 'No connection established'}, {method: 'GetCapabilities', process})

    // Then the error says it is not a gRPC cluster driver
    assert.equal(error.keCode, 'DRIVER_CALL_FAILED')
    assert.equal(error.message, 'driver acme is running but did not answer GetCapabilities over gRPC: it does not speak the cluster-driver protocol')
  })
})

describe('grpc errors › other statuses', () => {
  it('maps DEADLINE_EXCEEDED to DRIVER_TIMEOUT with the deadline', () => {
    // Given a call that ran past 60 s
    const error = mapped({code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded'}, {timeoutSeconds: 60})

    // Then it is a timeout naming the time
    assert.deepEqual([error.keCode, error.message], ['DRIVER_TIMEOUT', 'driver acme did not answer GetVersion after 60 s'])
  })

  it('maps UNKNOWN to DRIVER_CALL_FAILED carrying the driver\'s text', () => {
    // Given a driver error, which grpc-go sends as UNKNOWN
    const error = mapped({code: Status.UNKNOWN, details: 'googleapi: Error 403: permission denied'}, {method: 'Create'})

    // Then the text is shown as the error
    assert.deepEqual([error.keCode, error.message], ['DRIVER_CALL_FAILED', 'driver acme failed Create: googleapi: Error 403: permission denied'])
  })

  it('names the status number when a driver error has no text', () => {
    // Given an UNKNOWN status without details
    const error = mapped({code: Status.UNKNOWN, details: ''})

    // Then the message still says something
    assert.equal(error.message, 'driver acme failed GetVersion: gRPC status 2')
  })

  it('records the driver and cluster on the error', () => {
    // Given a failure during a cluster's create
    const error = mapped({code: Status.UNKNOWN, details: 'x'}, {cluster: 'c1'})

    // Then both are attached
    assert.deepEqual([error.driver, error.cluster], ['acme', 'c1'])
  })
})

describe('grpc errors › interrupted', () => {
  it('maps a call cancelled by SIGINT to CANCELLED with exit 130', () => {
    // Given ke was interrupted during Create
    const error = mapped({code: Status.CANCELLED, details: 'cancelled'}, {method: 'Create', cluster: 'c1', interrupted: 'SIGINT'})

    // Then it is CANCELLED, exit 130, with the retry and clean-up commands
    assert.deepEqual([error.keCode, error.exitCode, error.message], ['CANCELLED', 130, 'interrupted during Create; driver acme was stopped'])
    assert.equal(error.hint, 'run `ke create c1` to retry, or `ke rm c1` to clean up')
  })

  it('maps a call cancelled by SIGTERM to CANCELLED with exit 143', () => {
    // Given ke was terminated during a call
    const error = mapped({code: Status.UNAVAILABLE, details: 'x'}, {interrupted: 'SIGTERM'})

    // Then the exit code is 143, whatever the gRPC status
    assert.deepEqual([error.keCode, error.exitCode], ['CANCELLED', 143])
  })
})

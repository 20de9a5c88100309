// One in-process world for lifecycle specifications: a memory store, a fake driver that sees the store,
// the deps the lifecycle receives, and an AbortController standing in for Ctrl-C.
import {silentProgress, type LifecycleDeps} from '../../src/cluster/deps.js'
import type {CreateRequest} from '../../src/cluster/lifecycle.js'
import {emptyDriverOptions, type DriverOptions} from '../../src/protocol/types.js'
import {Redactor} from '../../src/redact.js'
import {MemoryStore} from '../../src/store/memory-store.js'
import {FakeDriver, type FakeDriverOptions} from './fake-driver.js'

export const NAME = 'c1'

export interface World {
  store: MemoryStore
  driver: FakeDriver
  interrupt: AbortController
  redactor: Redactor
  /** The lifecycle's deps for one command (`create`, `update`, `rm`). */
  deps(command?: string): LifecycleDeps
}

export function world(driverOptions: FakeDriverOptions = {}): World {
  const store = new MemoryStore()
  const interrupt = new AbortController()
  const redactor = new Redactor()
  const driver = new FakeDriver({watch: () => store.peek(NAME), signal: interrupt.signal, ...driverOptions})
  return {
    store,
    driver,
    interrupt,
    redactor,
    deps: (command = 'create') => ({store, progress: silentProgress, redactor, command, signal: interrupt.signal}),
  }
}

export function options(changes: Partial<DriverOptions> = {}): DriverOptions {
  return {...emptyDriverOptions(), stringOptions: {region: 'eu'}, intOptions: {'node-count': 3}, ...changes}
}

export function createRequest(changes: Partial<CreateRequest> = {}): CreateRequest {
  return {
    name: NAME,
    driver: {ref: 'fake', display: 'fake'},
    options: options(),
    storedOptions: {region: 'eu', 'node-count': 3},
    keyStyle: 'both',
    ...changes,
  }
}

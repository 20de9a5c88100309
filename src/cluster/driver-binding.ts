// A cluster stays bound to the driver that made it: its info means something only to that driver, so a
// command naming another driver is refused, while a moved copy of the same driver is followed.
import {basename, isAbsolute, resolve} from 'node:path'
// the name Rancher knows a driver by is the name that binds: a moved file keeps it
import {schemaDriverName as driverName} from '../driver/options/rancher-schema.js'
import {BUILTIN_DRIVERS, DRIVER_PREFIX} from '../driver/install/locate.js'
import {KeError} from '../errors.js'
import type {DriverReference} from '../store/cluster-record.js'

function isPathLike(ref: string): boolean {
  return ref.includes('/') || ref.startsWith('.')
}

/** `--driver` as it is stored: paths absolute, so the cluster can be managed from any directory. */
export function referenceTo(ref: string, cwd: string): DriverReference {
  return {ref: isPathLike(ref) && !isAbsolute(ref) ? resolve(cwd, ref) : ref, display: ref}
}

/**
 * The driver the record is bound to, or undefined for a cluster made through `--attach` with no
 * `--driver` (ke never learnt which driver that was). Records from before this rule kept the address
 * as their driver; that address binds nothing.
 */
export function boundDriver(reference: DriverReference): string | undefined {
  if (!reference.ref || reference.ref === reference.attached) return undefined
  return reference.ref
}

/** How one command reaches the cluster's driver, and the new reference when a moved binary is used. */
export interface DriverChoice {
  ref?: string
  attach?: string
  rebound?: DriverReference
}

/**
 * Picks the driver for a command on an existing cluster. `--attach` reaches a driver for this command
 * only; `--driver` must name the bound driver (another path to it is a moved binary, recorded).
 */
export function chooseDriver(cluster: {name: string; driver: DriverReference}, given: {driver?: DriverReference; attach?: string}): DriverChoice {
  const bound = boundDriver(cluster.driver)
  if (given.driver) {
    if (bound && driverName(given.driver.ref) !== driverName(bound)) throw driverMismatch(cluster.name, cluster.driver, given.driver)
    const rebound = given.driver.ref === bound ? undefined : given.driver
    return {ref: given.driver.ref, attach: given.attach, ...(rebound ? {rebound} : {})}
  }
  if (given.attach) return {attach: given.attach}
  if (bound) return {ref: bound}
  throw new KeError('MISSING_VALUE', `cluster ${cluster.name} was made through a driver ke attached to and is bound to no driver`, {
    cluster: cluster.name,
    hint: 'pass --attach 127.0.0.1:PORT of that driver for this command, or --driver NAME to bind it',
  })
}

/** `lke`, or `lke (/opt/bin/kontainer-engine-driver-lke)` when reached by path. */
function describe(ref: string): string {
  return driverName(ref) === ref ? ref : `${driverName(ref)} (${ref})`
}

function driverMismatch(cluster: string, bound: DriverReference, given: DriverReference): KeError {
  return new KeError('DRIVER_MISMATCH', `cluster ${cluster} was made by driver ${describe(bound.ref)}, not by ${describe(given.ref)}`, {
    cluster,
    hint: `drop --driver to use ${keepingIt(bound.ref)}; a cluster from another driver needs a new name`,
  })
}

/** What `--driver` may name instead of the bound driver: a built-in has no copy; a file binds by its name. */
function keepingIt(ref: string): string {
  if (BUILTIN_DRIVERS[ref]) return `ke's built-in driver ${ref}`
  if (!isPathLike(ref)) return `${ref}; another copy of it must keep the file name ${ref.startsWith(DRIVER_PREFIX) ? ref : DRIVER_PREFIX + ref}`
  return `${driverName(ref)}; a moved copy of it must keep the file name ${basename(ref)}`
}

/** A cluster made through `--attach` alone: ke does not know its driver until a `--driver` names it. */
export function unboundReference(): DriverReference {
  return {ref: '', display: '(attached)'}
}

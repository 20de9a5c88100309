// `ke driver rm NAME`: the installed binary and its record go; clusters made with it stay (their
// record names the driver, so reinstalling it makes them manageable again).
import {rm} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {KeError} from '../../errors.js'
import {dropRecord, driverPath, driversDir, withDriversLock} from './installed.js'
import {BUILTIN_DRIVERS, DRIVER_PREFIX} from './locate.js'

export interface UninstallResult {
  name: string
  path: string
  /** The binary was there (false when only a record was left). */
  removedFile: boolean
  removedRecord: boolean
}

export async function uninstallDriver(home: string, name: string): Promise<UninstallResult> {
  const bare = name.startsWith(DRIVER_PREFIX) ? name.slice(DRIVER_PREFIX.length) : name
  if (BUILTIN_DRIVERS[bare]) {
    throw new KeError('BAD_ARGUMENT', `${bare} is built into ke and cannot be removed`, {hint: 'see `ke driver ls` for installed drivers'})
  }
  // a name, never a path: `ke driver rm ../x` must not reach outside the drivers directory
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bare)) {
    throw new KeError('BAD_ARGUMENT', `${JSON.stringify(name)} is not a driver name`, {hint: 'pass the NAME that `ke driver ls` shows'})
  }
  const path = driverPath(home, bare)
  return withDriversLock(home, async () => {
    const removedFile = existsSync(path)
    const removedRecord = dropRecord(home, bare)
    if (!removedFile && !removedRecord) {
      throw new KeError('DRIVER_NOT_FOUND', `driver ${bare} is not installed: no ${DRIVER_PREFIX}${bare} in ${driversDir(home)}`, {
        driver: bare,
        hint: 'see `ke driver ls` for installed drivers',
      })
    }
    await rm(path, {force: true})
    return {name: bare, path, removedFile, removedRecord}
  })
}

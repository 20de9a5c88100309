// Whether a program that can run here is a cluster driver: it is one once it has answered the
// options call, the first thing every host (Rancher, ke) asks a driver.
import {openDriver, type OpenDriverRequest, type SessionContext} from './session.js'

export interface ProbeResult {
  /** The call it answered. */
  answered: 'GetDriverCreateOptions'
  /** How many create options it declares. */
  options: number
}

/** Starts the driver, asks for its create options, stops it. Throws the launch or call error. */
export async function probeClusterDriver(ctx: SessionContext, req: OpenDriverRequest): Promise<ProbeResult> {
  const driver = await openDriver(ctx, req)
  try {
    const options = await driver.getCreateOptions()
    return {answered: 'GetDriverCreateOptions', options: Object.keys(options).length}
  } finally {
    await ctx.supervisor.stop(driver)
  }
}

// Entry point: `node main.js PORT` (ke and Rancher pass the port as the only argument).
import {serveDriver} from '../../sdk/index.js'
import {SampleCloud, cloudRootFromEnv} from './cloud.js'
import {SampleDriver} from './driver.js'

const startDelayMs = Number(process.env.KE_OPT_START_DELAY_MS ?? 0)
if (startDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, startDelayMs))
await serveDriver(new SampleDriver(new SampleCloud(cloudRootFromEnv())), {name: 'kontainer-engine-driver-sample'})

// Entry point: `node main.js PORT` (ke and Rancher pass the port as the only argument).
// ke resolves `--driver import` to this file; it starts it in the user's working directory, which is
// what a relative --kubeconfig is resolved against.
import {serveDriver} from '../../sdk/index.js'
import {ImportDriver} from './driver.js'

await serveDriver(new ImportDriver(), {name: 'kontainer-engine-driver-import'})

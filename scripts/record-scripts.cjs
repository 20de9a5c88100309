// For the code-cache training (train-code-cache.cjs, train-driver-code-cache.cjs): every script the
// process compiles through node:vm, by file, as os/code-cache.ts makes them, so that a cache can be made
// of each once the work is done.
'use strict'
const vm = require('node:vm')

/** Records from now on; the map fills as files are loaded. */
function recordScripts() {
  const scripts = new Map()
  vm.Script = class TrainedScript extends vm.Script {
    constructor(code, options) {
      super(code, options)
      scripts.set(options?.filename, this)
    }
  }
  return scripts
}

module.exports = {recordScripts}

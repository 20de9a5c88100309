// Preloaded (NODE_OPTIONS=--require) into the built-in sample driver that scripts/train-code-cache.cjs
// has ke start: V8's code cache of the files the driver runs from their code cache (its vendor file,
// dist/b/vendor/), made as the driver exits after serving a real create. The first driver to exit
// writes them (a create's serves more calls than the rm's after it).
//
// KE_TRAIN_DRIVER_CACHES: FILE=CACHE pairs, separated by newlines
'use strict'
const {existsSync, writeFileSync} = require('node:fs')
const {recordScripts} = require('./record-scripts.cjs')

const targets = (process.env.KE_TRAIN_DRIVER_CACHES ?? '').split('\n').filter(Boolean).map((pair) => pair.split('='))
delete process.env.KE_TRAIN_DRIVER_CACHES

const scripts = recordScripts()

process.on('exit', () => {
  for (const [file, cache] of targets) {
    const script = scripts.get(file)
    if (script && !existsSync(cache)) writeFileSync(cache, script.createCachedData())
  }
})

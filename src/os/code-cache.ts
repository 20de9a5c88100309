// CommonJS files of ke's build run with V8's code cache beside them (scripts/bundle.js makes both): Node
// 20 compiles ES modules anew on every run and has no compile cache of its own (NODE_COMPILE_CACHE
// came in Node 22), and compiling is most of what loading costs ke. The file runs as Node's own
// loader runs CommonJS: wrapped, with a require() of its own place. V8 checks the cache: one made by
// another Node (or under other V8 flags) is passed over, and the code is compiled as without it.
import {isAscii} from 'node:buffer'
import {readFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {Script} from 'node:vm'

/**
 * A CommonJS file's text as such a file holds it: inside Node's module wrapper already. Wrapped as it
 * was read, each start made a second copy of the whole text (~1 MB for both files) for V8 to compile.
 */
export function wrapForCodeCache(code: string): string {
  return Module.wrap(code)
}

/**
 * The file's text. One that is all ASCII (grpc-js's bundle is) is the same text read as Latin-1, which
 * spares UTF-8's decoder and its growing buffer: ~0.7 ms of every create or rm for that file.
 */
function sourceOf(file: string): string {
  const bytes = readFileSync(file)
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
}

/** Runs `file` (written by wrapForCodeCache) as CommonJS with V8's code cache `cache`; returns its exports and the script (whether V8 took the cache). */
export function runWithCodeCache(file: string, cache: Buffer | undefined): {exports: unknown; script: Script} {
  const script = new Script(sourceOf(file), {filename: file, cachedData: cache})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
  return {exports: module.exports, script}
}

/** Where the build puts the code cache of a file it runs with one: FILE.cache beside FILE.cjs. */
export function codeCacheFileOf(file: string): string {
  return file.replace(/\.cjs$/, '.cache')
}

/**
 * The exports of `file` (written by wrapForCodeCache), run with the code cache beside it when the build
 * made one: the files the direct commands load only when used (lazy/).
 */
export function requireWithCodeCache(file: string): unknown {
  return runWithCodeCache(file, readCodeCache(codeCacheFileOf(file))).exports
}

/** The code cache in `file`, or undefined when there is none: the code is then compiled as usual. */
export function readCodeCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

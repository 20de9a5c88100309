#!/usr/bin/env node
// Build step after tsc: bundles ke's commands (dist/commands) and the built-in drivers with esbuild,
// so a command loads a few files instead of hundreds (start-up is paid on every `ke` call, see
// README "Speed and memory"). tsc's output stays as it is: it is the library (`ke/sdk`, `ke/verify`)
// and what `ke driver package` bundles from.
//
// dist/b/drivers/*.js     the built-in drivers, one file each (locate.ts starts these), and the chunks
//                         they share
// dist/b/early.cjs        what bin/run.js loads first: the driver started early
// dist/b/fast-ls.cjs      `ke ls` without oclif, one CommonJS file
// dist/b/direct/          `ke create`, `rm` and the other commands on one cluster without oclif: one
//                         CommonJS file and V8's code cache of it, and the file that loads them; oclif
//                         with all of ke's commands, for every other command line, the same way
//                         (oclif.cjs, found through package.json and oclif.manifest.json); and lazy/:
//                         what either import()s from a package, each loaded only when used
// dist/b/vendor/          grpc-js, protobufjs and the static code of proto/drivers.proto: ke's client
//                         half (grpc-client.cjs) and the drivers' whole (grpc.cjs), each a CommonJS
//                         file with V8's code cache of it
import {tokenizer} from 'acorn'
import {build} from 'esbuild'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire, isBuiltin} from 'node:module'
import {dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {EMBEDDED_ROOT, embedProtoFiles, embeddedFilesPrologue} from '../dist/package/embedded-files.js'
import {VENDOR_FILES} from '../dist/protocol/grpc-modules.js'
import {DIRECT_FILE} from '../dist/cli/direct-loader.js'
import {OCLIF_FILE, OCLIF_MAIN_FILE} from '../dist/cli/oclif-loader.js'
import {codeCacheFileOf, wrapForCodeCache} from '../dist/os/code-cache.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const DIST = join(ROOT, 'dist')
const OUT = join(DIST, 'b')
/** Stands for "the relative path from this output file to dist/" until the files are written. */
const TO_DIST = '__KE_TO_DIST__'
const CODE_CACHE_MODULE = join(DIST, 'os', 'code-cache.js')

function jsFiles(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return jsFiles(path)
    return entry.name.endsWith('.js') ? [path] : []
  })
}

/**
 * A module that finds files beside itself (`new URL('../drivers/x.js', import.meta.url)`) must find
 * them from wherever esbuild put its code: its own URL is rewritten to the one it had in dist/.
 */
function importMetaUrlAsInDist() {
  return {
    name: 'ke-import-meta-url-as-in-dist',
    setup(b) {
      b.onLoad({filter: /\.js$/}, (args) => {
        const text = readFileSync(args.path, 'utf8')
        if (!args.path.startsWith(DIST + sep) || !text.includes('import.meta.url')) return undefined
        const asInDist = relative(DIST, args.path).split(sep).join('/')
        return {contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(`${TO_DIST}/${asInDist}`)}, import.meta.url).href`), loader: 'js'}
      })
    },
  }
}

/**
 * `await import('pkg')` of a CommonJS package: Node gives its exports by name, esbuild's chunk only
 * as `default`. Such an import goes through a module that names them (read here from the package).
 */
function namedExportsOfDynamicCommonJs() {
  const require = createRequire(join(DIST, 'index.js'))
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
  return {
    name: 'ke-named-exports-of-dynamic-commonjs',
    setup(b) {
      b.onResolve({filter: /^[^./]/}, async (args) => {
        if (args.kind !== 'dynamic-import' || args.namespace === 'ke-cjs' || isBuiltin(args.path)) return undefined
        const asImport = await b.resolve(args.path, {kind: 'import-statement', resolveDir: args.resolveDir})
        let names
        try {
          if (asImport.path !== require.resolve(args.path)) return undefined // its own ES module build
          const exports = require(args.path)
          if (exports[Symbol.toStringTag] === 'Module') return undefined // an ES module: esbuild keeps its names
          names = Object.keys(exports).filter((name) => IDENTIFIER.test(name) && name !== 'default')
        } catch {
          return undefined
        }
        return {path: args.path, namespace: 'ke-cjs', pluginData: {names, resolveDir: args.resolveDir}}
      })
      b.onLoad({filter: /.*/, namespace: 'ke-cjs'}, ({path, pluginData: {names, resolveDir}}) => ({
        contents: [`import * as ns from ${JSON.stringify(path)}`, 'export default ns.default', ...names.map((name) => `export const ${name} = ns.${name}`)].join('\n'),
        resolveDir,
        loader: 'js',
      }))
    },
  }
}

/**
 * What runs without oclif (fast-ls.cjs, direct/) must not load oclif's index, which loads its config,
 * help and command loading: `@oclif/core` is, in those bundles, only the parts named here (the very
 * files oclif's index loads, so that `instanceof` its errors holds). Any other import of it there fails
 * the build.
 * Some of oclif's files load more of it than ke's commands run without oclif: its help system, for the
 * --help flag's parse, the help of an error oclif's own handler reports and the parser's flagUsages
 * (such command lines run through oclif): each such import is a module that says so if it is ever
 * called; and its errors index (handlers, warnings, pretty printing), where only CLIError is used: that
 * import is CLIError's own file, the very class the index gives.
 */
function oclifParts(parts) {
  const require = createRequire(join(DIST, 'index.js'))
  const lib = dirname(require.resolve('@oclif/core'))
  const PARTS = {
    Errors: [`import {CLIError} from ${JSON.stringify(join(lib, 'errors', 'errors', 'cli.js'))}`, `import {ExitError} from ${JSON.stringify(join(lib, 'errors', 'errors', 'exit.js'))}`, 'export const Errors = {CLIError, ExitError}'],
    Parser: [`import {parse} from ${JSON.stringify(join(lib, 'parser', 'index.js'))}`, 'export const Parser = {parse}'],
    Flags: [`export * as Flags from ${JSON.stringify(join(lib, 'flags.js'))}`],
    Args: [`export * as Args from ${JSON.stringify(join(lib, 'args.js'))}`],
  }
  /** importer (under oclif's lib) → {its import: the names a stand-in provides, or the file (under lib) it stands for} */
  const NARROWED = {
    'flags.js': {'./help': ['loadHelpClass'], './errors': 'errors/errors/cli.js'},
    'parser/index.js': {'./help': ['flagUsages']},
    'parser/errors.js': {'../errors': 'errors/errors/cli.js'},
  }
  const narrowed = (args) => NARROWED[relative(lib, args.importer).split(sep).join('/')]?.[args.path]
  return {
    name: 'ke-oclif-parts',
    setup(b) {
      b.onResolve({filter: /^@oclif\/core$/}, () => ({path: '@oclif/core', namespace: 'ke-oclif-parts'}))
      b.onLoad({filter: /.*/, namespace: 'ke-oclif-parts'}, () => ({contents: parts.flatMap((part) => PARTS[part]).join('\n'), resolveDir: lib, loader: 'js'}))
      b.onResolve({filter: /help|errors/}, (args) => {
        const to = narrowed(args)
        if (to === undefined) return undefined
        return typeof to === 'string' ? {path: join(lib, to)} : {path: `${relative(ROOT, args.importer)}:${args.path}`, namespace: 'ke-oclif-not-here', pluginData: to}
      })
      b.onLoad({filter: /.*/, namespace: 'ke-oclif-not-here'}, ({pluginData: names}) => ({
        contents: names.map((name) => `exports.${name} = function () { throw new Error("oclif's ${name} is not in this bundle of ke: run this command line through oclif") }`).join('\n'),
        loader: 'js',
      }))
    },
  }
}

/** `@oclif/core` as its two error classes, each a plain Error (see the early bundle below). */
function oclifErrorsAsPlainErrors() {
  return {
    name: 'ke-oclif-errors-as-plain-errors',
    setup(b) {
      b.onResolve({filter: /^@oclif\/core$/}, () => ({path: '@oclif/core', namespace: 'ke-plain-errors'}))
      b.onLoad({filter: /.*/, namespace: 'ke-plain-errors'}, () => ({
        contents: 'class CLIError extends Error {}\nclass ExitError extends CLIError {}\nexport const Errors = {CLIError, ExitError}',
        loader: 'js',
      }))
    },
  }
}

/**
 * grpc-js requires @grpc/proto-loader (and with it protobufjs's .proto parser) only for channelz and
 * ORCA, which ke never turns on; bundled, its chunk would be loaded and compiled with grpc-js on every
 * driver command. Left to node_modules, it is loaded only if ever required.
 */
const GRPC_EXTERNAL = ['@grpc/proto-loader']

/** CommonJS packages inside an ES module bundle still call require() for Node's built-ins. */
const REQUIRE_BANNER = "import {createRequire as __keCreateRequire} from 'node:module'; const require = __keCreateRequire(import.meta.url);"

/** What every bundle of ke's build is built with. */
const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // src/protocol/grpc-modules.ts: grpc-js from dist/b/vendor/ in ke's own bundles only
  define: {__KE_OWN_BUNDLE__: 'true'},
  // optional native helpers absent and guarded by try/catch; the bundler, and the TypeScript oclif
  // loads only for commands written in .ts (never in a build); proto-loader (GRPC_EXTERNAL)
  external: ['bufferutil', 'utf-8-validate', 'esbuild', 'postject', 'fsevents', 'typescript', 'ts-node', ...GRPC_EXTERNAL],
  metafile: true,
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
}

/** `embedProtos`: the packages whose .proto files the bundle carries (src/package/embedded-files.ts). */
async function bundle({entryPoints, outdir, splitting, embedProtos = undefined, plugins = [], external = []}) {
  const files = {}
  const result = await build({
    ...COMMON,
    entryPoints,
    outdir,
    outbase: DIST,
    splitting,
    format: 'esm',
    chunkNames: '[name]-[hash]',
    banner: {js: REQUIRE_BANNER},
    external: [...COMMON.external, ...external],
    plugins: [...plugins, namedExportsOfDynamicCommonJs(), importMetaUrlAsInDist(), ...(embedProtos ? [embedProtoFiles(files, {packages: embedProtos})] : [])],
  })
  const prologue = embeddedFilesPrologue(files)
  for (const file of result.outputFiles) {
    let text = withPathToDist(file)
    // before the code that reads them: the module body, after its (hoisted) imports
    if (prologue && text.includes(EMBEDDED_ROOT)) text = text.replace(REQUIRE_BANNER, `${REQUIRE_BANNER}\n${prologue}`)
    writeFileAtPath(file.path, text)
  }
  return result
}

/** An output file's text with TO_DIST (importMetaUrlAsInDist) made the path from it to dist/. */
function withPathToDist(file) {
  return file.text.replaceAll(TO_DIST, relative(dirname(file.path), DIST).split(sep).join('/') || '.')
}

/**
 * A CommonJS bundle: `import.meta.url` is, as in an ES module, the URL of the file the code is in; and
 * import() is require() (a file run from a code cache cannot import(): Node 20 gives such a script no
 * loader for it). `codeCached`: written for os/code-cache.ts to run, inside Node's module wrapper.
 */
async function bundleCommonJs({outfile, plugins = [], codeCached = false, ...options}) {
  const result = await build({
    ...COMMON,
    ...options,
    outfile,
    format: 'cjs',
    banner: {js: "const __keImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
    define: {...COMMON.define, 'import.meta.url': '__keImportMetaUrl'},
    supported: {'dynamic-import': false},
    plugins: [...plugins, importMetaUrlAsInDist()],
  })
  for (const file of result.outputFiles) {
    const text = withPathToDist(file)
    writeFileAtPath(file.path, codeCached ? wrapForCodeCache(asciiOnly(text)) : text)
  }
  return result
}

/**
 * The text with each character past ASCII in a regular expression literal written as its \u escape,
 * which matches the same character, so that ke reads the file as Latin-1, without UTF-8's decoder
 * (os/code-cache.ts; ~1 ms of each command through oclif). esbuild escapes such characters in names,
 * strings and plain templates, not in regular expression literals (ansis has one) nor in tagged
 * templates, where an escape would change the raw text: a file with one elsewhere (acorn's tokens
 * tell) stays as it is, and is read as UTF-8.
 */
function asciiOnly(text) {
  const PAST_ASCII = /[^\0-\x7f]/
  if (!PAST_ASCII.test(text)) return text
  let escaped = ''
  let done = 0
  try {
    for (const token of tokenizer(text, {ecmaVersion: 'latest', allowReturnOutsideFunction: true, allowHashBang: true})) {
      const raw = text.slice(token.start, token.end)
      if (!PAST_ASCII.test(raw)) continue
      // after a backslash an escape would read differently
      if (token.type.label !== 'regexp' || /\\[^\0-\x7f]/.test(raw)) return text
      escaped += text.slice(done, token.start) + raw.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
      done = token.end
    }
  } catch {
    return text
  }
  return escaped + text.slice(done)
}

/**
 * In the CommonJS bundles of ke's commands (direct/), what they import() from a package is a file of its own,
 * built by `lazyPackageBundles` into lazy/ beside it and loaded only when used (the Kubernetes client
 * alone is 5 MB: in the bundle, every start would read it), with V8's code cache beside it where the
 * build made one (os/code-cache.ts: requireWithCodeCache). `inline` are bundled in as usual (what
 * every create loads); `fromNodeModules` are required from node_modules as they are. `lazy` collects
 * {specifier: file under lazy/}.
 */
function lazyPackages(lazy, {inline, fromNodeModules, modules = []}) {
  const lazyFile = (specifier, name) => {
    const file = `lazy/${name.replace(/^@/, '').replace(/\.js$/, '').replace(/[^\w.-]+/g, '-')}.cjs`
    lazy.set(specifier, file)
    return {path: file, namespace: 'ke-lazy-file'}
  }
  return {
    name: 'ke-lazy-packages',
    setup(b) {
      // ke's own modules that stand for a part of a package (kube/client-config.js): a file of their own too
      b.onResolve({filter: /^\./}, (args) => {
        const path = resolve(args.resolveDir, args.path)
        if (args.kind !== 'dynamic-import' || !modules.includes(path)) return undefined
        return lazyFile(path, relative(DIST, path))
      })
      b.onResolve({filter: /^[^./]/}, (args) => {
        if (fromNodeModules.includes(args.path)) return {path: args.path, external: true}
        if (args.kind !== 'dynamic-import' || isBuiltin(args.path) || inline.includes(args.path) || COMMON.external.includes(args.path)) return undefined
        return lazyFile(args.path, args.path)
      })
      // __dirname: the bundle's folder, which lazy/ is in (the bundle runs in Node's module wrapper)
      b.onLoad({filter: /.*/, namespace: 'ke-lazy-file'}, ({path}) => ({
        contents: `module.exports = require(${JSON.stringify(CODE_CACHE_MODULE)}).requireWithCodeCache(require('node:path').join(__dirname, ${JSON.stringify(path)}))`,
        resolveDir: DIST,
        loader: 'js',
      }))
    },
  }
}

/**
 * Each package of `lazy` (see lazyPackages) as a CommonJS file in `dir`, which gives what Node's import()
 * of it gives: a CommonJS package's exports (and them as default), an ES module's names. Not an ES
 * module's own default export: the bundle's import() (esbuild's require() in Node's way) gives the
 * whole file as default, so such a package fails the build.
 */
async function lazyPackageBundles(lazy, dir) {
  const require = createRequire(join(DIST, 'index.js'))
  for (const [specifier, file] of lazy) {
    const name = JSON.stringify(specifier)
    const namespace = await import(specifier)
    let commonJs
    try {
      commonJs = require(specifier)
    } catch {
      // an ES module only
    }
    const isCommonJs = commonJs !== undefined && namespace.default === commonJs
    if (!isCommonJs && 'default' in namespace) throw new Error(`${specifier}: the default export of an ES module does not survive as a lazy CommonJS file: bundle it in (inline)`)
    const contents = isCommonJs ? `module.exports = require(${name})` : `export * from ${name}`
    await bundleCommonJs({stdin: {contents, resolveDir: DIST, sourcefile: `${specifier}.js`, loader: 'js'}, outfile: join(dir, file), codeCached: true})
  }
}

/**
 * proper-lockfile as ke uses it (store/file/lock.ts), in each bundle that carries it: its two helpers
 * cost every command that loads it ~1.5 ms and do nothing for ke. graceful-fs (which queues file calls
 * past EMFILE, and patches Node's fs as it loads) is Node's fs: a lock is a few calls. signal-exit (which
 * installs a handler for each of ~15 signals, to remove held locks when one kills the process) hooks the
 * exit alone: ke stops on SIGINT, SIGTERM and SIGHUP through its own handlers, and the next ke takes a
 * lock whose holder died over at once, as after a kill -9.
 */
const LOCKFILE_STAND_INS = [
  {name: 'graceful-fs', specifier: /^graceful-fs$/, importer: /[\\/]proper-lockfile[\\/]lib[\\/]/, contents: () => "module.exports = require('node:fs')"},
  {name: 'signal-exit', specifier: /^signal-exit$/, importer: /[\\/]proper-lockfile[\\/]lib[\\/]lockfile\.js$/, contents: () => "module.exports = (callback) => { process.on('exit', callback); return () => process.removeListener('exit', callback) }"},
]

/** A module whose functions `names` each load `real` on their first call and are then its own. */
function loadedOnFirstCall(real, names) {
  const load = `require(${JSON.stringify(real)})`
  return ['Object.defineProperty(exports, "__esModule", {value: true})', ...names.map((name) => `exports.${name} = (...args) => ${load}.${name}(...args)`)].join('\n')
}

/**
 * In the bundles of ke's commands, modules of oclif that they use only on side paths, each made from
 * one that loads the real module when (and only when) it is needed: every create and rm ran their
 * set-up, ~1.5 ms. Its colours (ux/theme: ansis, supports-color) and wrap-ansi serve only the text of
 * an oclif error as oclif prints it, which the direct commands never do (ke prints its own): they load
 * if one is. In the bundles of the direct commands and of oclif's also: its debug (its logger), loaded
 * only when DEBUG is set, as the debug package reads it once, as it loads: unset, what
 * debug(namespace) gives logs nothing; and its parser's `node:readline`, which reads a flag's value
 * from stdin (`-`), which no create or rm does.
 */
const OCLIF_ERROR_TEXT_STAND_INS = [
  {name: "oclif's ux/theme", specifier: /^(\.\.\/)+ux\/theme$/, importer: /[\\/]@oclif[\\/]core[\\/]lib[\\/](errors[\\/]errors[\\/]cli|parser[\\/]errors)\.js$/, contents: (real) => loadedOnFirstCall(real, ['colorize', 'parseTheme'])},
  {name: 'wrap-ansi', specifier: /^wrap-ansi$/, importer: /[\\/]@oclif[\\/]core[\\/]lib[\\/]errors[\\/]errors[\\/]cli\.js$/, contents: (real) => `module.exports = (...args) => require(${JSON.stringify(real)})(...args)`},
]
const COMMAND_STAND_INS = [
  {name: 'debug', specifier: /^debug$/, importer: /[\\/]@oclif[\\/]core[\\/]lib[\\/]logger\.js$/, contents: (real) => `module.exports = process.env.DEBUG ? require(${JSON.stringify(real)}) : () => () => {}`},
  ...OCLIF_ERROR_TEXT_STAND_INS,
  {name: "oclif's parser's readline", specifier: /^node:readline$/, importer: /[\\/]@oclif[\\/]core[\\/]lib[\\/]parser[\\/]parse\.js$/, contents: builtinOnFirstUse('readline')},
]

/**
 * In `ke ls`'s bundle, oclif's error classes without what serves only their own text, as in the direct
 * commands' bundle; and without its screen, which reads the width of stdout and stderr as it loads (for
 * that text too), and so made Node open both as streams, where an `ls` writes stderr only to warn.
 */
const FAST_LS_STAND_INS = [
  ...OCLIF_ERROR_TEXT_STAND_INS,
  {
    name: "oclif's screen",
    specifier: /^\.\.\/\.\.\/screen$/,
    importer: /[\\/]@oclif[\\/]core[\\/]lib[\\/]errors[\\/]errors[\\/]cli\.js$/,
    contents: (real) => ['stdtermwidth', 'errtermwidth'].map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, {get: () => require(${JSON.stringify(real)}).${name}})`).join('\n'),
  },
]

/**
 * Each module of `list` that its importer requires is its stand-in's `contents(real)` (`real`: the path
 * of the module it stands for). A module that no importer requires any more fails the build, rather
 * than losing its stand-in without a word.
 */
function standIns(list) {
  const replaced = new Set()
  const filter = new RegExp(list.map((standIn) => standIn.specifier.source).join('|'))
  return {
    name: `ke-stand-ins (${list.map((standIn) => standIn.name).join(', ')})`,
    setup(b) {
      b.onResolve({filter}, async (args) => {
        const index = list.findIndex((standIn) => standIn.specifier.test(args.path) && standIn.importer.test(args.importer))
        if (args.namespace === 'ke-stand-in' || index === -1) return undefined
        replaced.add(index)
        const real = await b.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real'})
        // one module for each stand-in, whichever of its importers requires it
        return {path: list[index].name, namespace: 'ke-stand-in', pluginData: {contents: list[index].contents(real.path), resolveDir: args.resolveDir}}
      })
      b.onLoad({filter: /.*/, namespace: 'ke-stand-in'}, ({pluginData: {contents, resolveDir}}) => ({contents, resolveDir, loader: 'js'}))
      b.onEnd(() => {
        const missing = list.filter((_, index) => !replaced.has(index)).map((standIn) => standIn.name)
        if (missing.length > 0) throw new Error(`nothing requires ${missing.join(', ')} as it did: update its stand-in in scripts/bundle.js`)
      })
    },
  }
}

/** Fails the build unless package.json points oclif at the file the build writes for it, for all three. */
function checkOclifTargets() {
  const {oclif} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const expected = `./${relative(ROOT, join(DIRECT, OCLIF_MAIN_FILE)).split(sep).join('/')}`
  const targets = {commands: oclif.commands?.target, helpClass: oclif.helpClass?.target, command_not_found: oclif.hooks?.command_not_found?.target}
  for (const [what, target] of Object.entries(targets)) {
    if (target !== expected) throw new Error(`package.json's oclif ${what} is ${JSON.stringify(target)}: the build writes oclif's file to ${expected}`)
  }
}

/** Fails the build if a package (or module) of `lazy` is also imported by `what`: it would be in its file, read on every start. */
function checkNotBundledIn(build, lazy, what) {
  const bundledIn = Object.keys(build.metafile.inputs)
  for (const specifier of lazy.keys()) {
    const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')
    const imported = isAbsolute(specifier) ? bundledIn.some((input) => resolve(input) === specifier) : bundledIn.some((input) => input.includes(`node_modules/${name}/`))
    if (imported) throw new Error(`${specifier} is imported by ${what} as well as import()ed: import() it everywhere there`)
  }
}

/** oclif's command id of a command's file under dist/commands: driver/ls.js is `driver:ls`, controller/index.js `controller`. */
function commandIdOf(file) {
  return relative(join(DIST, 'commands'), file).replace(/\.js$/, '').split(sep).filter((part, index, parts) => !(part === 'index' && index === parts.length - 1)).join(':')
}

/**
 * oclif loads an ES module (a plugin's command, such as `ke autocomplete`) with import(), which code
 * run from a code cache cannot do (Node 20 gives a node:vm script no loader for it): in the bundle, its
 * module loader imports through esm-import.cjs beside the bundle, a file Node loads itself.
 */
function oclifEsmImports() {
  const MODULE_LOADER = /[\\/]@oclif[\\/]core[\\/]lib[\\/]module-loader\.js$/
  let rewritten = false
  return {
    name: 'ke-oclif-esm-imports',
    setup(b) {
      b.onResolve({filter: /^\.\/esm-import\.cjs$/}, (args) => ({path: args.path, external: true}))
      b.onLoad({filter: MODULE_LOADER}, ({path}) => {
        const text = readFileSync(path, 'utf8')
        const contents = text.replaceAll('await import(', "await require('./esm-import.cjs')(")
        if (contents === text) throw new Error(`oclif's module loader no longer imports as it did: update oclifEsmImports in scripts/bundle.js`)
        rewritten = true
        return {contents, loader: 'js'}
      })
      b.onEnd(() => {
        if (!rewritten) throw new Error(`oclif's module loader is no longer in the bundle as it was: update oclifEsmImports in scripts/bundle.js`)
      })
    },
  }
}

/** The path of a file of grpc-js itself (the importer), not of ke's own code. */
const GRPC_JS_IMPORTER = /[\\/]@grpc[\\/]grpc-js[\\/]/

/** A stand-in's contents for Node's built-in `name`, loaded on the first read of one of its properties (require caches it). */
function builtinOnFirstUse(name) {
  return () => `module.exports = new Proxy({}, {get: (_, key) => require('node:${name}')[key]})`
}

/**
 * grpc-js as ke's vendor file carries it. Its `net` has an isIPv6 that answers false for a string
 * without a colon (no IPv6 address is one) before it asks Node's: grpc-js asks it of each address it
 * dials or binds (127.0.0.1 here), and Node's first answer compiles its IPv6 regular expression, ~4 ms
 * of every `ke create` and `ke rm`. Its `zlib` and `dns` load on first use: it requires both as it
 * loads, for compressed messages and for host names, neither of which ke's calls to 127.0.0.1 use
 * (`ipv4:` targets, src/driver/rpc/client.ts), ~2 ms of every command. A driver loads dns anyway: its
 * server's bind resolves the address it listens on.
 */
const GRPC_STAND_INS = [
  {
    name: "grpc-js's net",
    specifier: /^net$/,
    importer: GRPC_JS_IMPORTER,
    // net's own properties, read through the prototype (copying them would call its lazy getters)
    contents: () => `const net = require('node:net')
module.exports = Object.create(net, {isIPv6: {value: (address) => (typeof address === 'string' && !address.includes(':') ? false : net.isIPv6(address))}})`,
  },
  {name: "grpc-js's zlib", specifier: /^zlib$/, importer: GRPC_JS_IMPORTER, contents: builtinOnFirstUse('zlib')},
  {name: "grpc-js's dns", specifier: /^dns$/, importer: GRPC_JS_IMPORTER, contents: builtinOnFirstUse('dns')},
]

/**
 * What the two files that run from V8's code cache are built with, besides COMMON: they are written in
 * Node's module wrapper (os/code-cache.ts), and have no keepNames: the
 * `__name(f, "f")` call it adds for each of their ~1,800 functions and classes ran on every start and
 * allocated ~400 KB that V8's young generation then copied (five collections in a create instead of
 * two). Without minifyIdentifiers esbuild keeps names anyway, except where it renames one of two
 * top-level names that collide (`parse2`); nothing reads such a name here (the oclif error classes ke
 * tells apart by name are CommonJS, each inside its own module function).
 */
const CODE_CACHED = {keepNames: false, codeCached: true}

// the environment's NODE_OPTIONS (V8 flags) would make a cache that a flagless ke passes over
const FLAGLESS = {...process.env, NODE_OPTIONS: ''}

/**
 * V8's code cache of each CommonJS file of `caches` (file -> cache file) that ke runs, and of
 * `driverCaches` that the sample driver runs, made by a fresh node without flags (as bin/run.js runs)
 * after a real `ke create`, `ke env` and `ke rm` with the sample driver, and `ke --help`, `ke create
 * --help` and `ke driver ls` through oclif (scripts/train-code-cache.cjs): each then holds all the code
 * they run, not only what ran at load. A file that run did not train (it failed) gets a cache made
 * right after loading it. Each is checked: a cache node passes over only costs the speed-up.
 */
function makeCodeCaches(caches, driverCaches) {
  const pairs = (map) => [...map].map(([file, cache]) => `${file}=${cache}`)
  const all = [...caches, ...driverCaches]
  // a cache there afterwards is one this training made
  for (const [, cache] of all) rmSync(cache, {force: true})
  // a stuck create or rm ends the run (SIGTERM: ke stops its driver): the build goes on without it
  const trainer = spawnSync(process.execPath, [join(ROOT, 'scripts', 'train-code-cache.cjs'), join(DIRECT, 'direct-loader.cjs'), join(DIRECT, OCLIF_MAIN_FILE), ...pairs(caches), '--driver', ...pairs(driverCaches)], {stdio: ['ignore', 'ignore', 'pipe'], env: FLAGLESS, timeout: 120_000})
  const untrained = all.filter(([, cache]) => !existsSync(cache))
  if (untrained.length > 0) {
    const why = trainer.error?.message ?? (String(trainer.stderr ?? '').trim() || `exit ${trainer.status ?? trainer.signal}`)
    console.warn(`warning: the code caches of ${untrained.map(([file]) => relative(ROOT, file)).join(', ')} are made without the training's commands (${why}): ke works, less quickly`)
    for (const [file, cache] of untrained) makeLoadCodeCache(file, cache)
  }
  for (const [file, cache] of all) checkCodeCache(file, cache)
}

function makeLoadCodeCache(file, cacheFile) {
  const make = `import {writeFileSync} from 'node:fs'
import {runWithCodeCache} from ${JSON.stringify(CODE_CACHE_MODULE)}
writeFileSync(${JSON.stringify(cacheFile)}, runWithCodeCache(${JSON.stringify(file)}, undefined).script.createCachedData())`
  if (spawnSync(process.execPath, ['--input-type=module', '-e', make], {stdio: 'inherit', env: FLAGLESS}).status !== 0) throw new Error(`could not make the code cache of ${file}`)
}

function checkCodeCache(file, cacheFile) {
  const takes = `import {readCodeCache, runWithCodeCache} from ${JSON.stringify(CODE_CACHE_MODULE)}
process.exitCode = runWithCodeCache(${JSON.stringify(file)}, readCodeCache(${JSON.stringify(cacheFile)})).script.cachedDataRejected ? 1 : 0`
  if (spawnSync(process.execPath, ['--input-type=module', '-e', takes], {stdio: 'inherit', env: FLAGLESS}).status !== 0) {
    console.warn(`warning: node rejects the code cache just made for ${file}: ke works, without that speed-up`)
  }
}

/** protobufjs-cli's pbjs with `args`, as its command line takes them. */
function pbjs(args) {
  const {pbjs: cli} = createRequire(import.meta.url)('protobufjs-cli')
  return new Promise((resolve, reject) => cli.main(args, (error) => (error ? reject(error) : resolve())))
}

function writeFileAtPath(path, text) {
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, text)
}

rmSync(OUT, {recursive: true, force: true})
// `ke ls` answered without oclif (src/cli/fast-ls.ts), one file: KeError is oclif's CLIError, and the
// error report tells oclif's errors apart, so it carries oclif's error classes and nothing else of it.
// The lock code it shares imports proper-lockfile only to take a lock, which it does not. CommonJS, as
// bin/run.js is: as an ES module it cost every `ke ls` Node's ES module loader, ~14 ms.
await bundleCommonJs({entryPoints: [join(DIST, 'cli', 'fast-ls.js')], outfile: join(OUT, 'fast-ls.cjs'), plugins: [standIns(FAST_LS_STAND_INS), oclifParts(['Errors'])], external: [...COMMON.external, 'proper-lockfile']})
// What bin/run.js runs without oclif: create, rm and the other commands on one cluster
// (src/cli/direct.ts), in one CommonJS file with V8's code cache beside it, and the module that loads
// them from there (src/cli/direct-loader.ts). What they import() from a package (client-node, inquirer,
// yaml...), and KubeConfig alone (src/kube/client-config.ts), is in lazy/, loaded only when used;
// grpc-js is in the vendor file (below). proper-lockfile is taken on every create: bundled in.
const DIRECT = join(OUT, 'direct')
const lazy = new Map()
// grpc-js and protobufjs come from the vendor file; from node_modules only if that is damaged
const LAZY = {inline: ['proper-lockfile'], fromNodeModules: ['@grpc/grpc-js', 'protobufjs/light.js'], modules: [join(DIST, 'kube', 'client-config.js')]}
const directBuild = await bundleCommonJs({
  entryPoints: [join(DIST, 'cli', 'direct.js')],
  outfile: join(DIRECT, DIRECT_FILE),
  ...CODE_CACHED,
  plugins: [standIns([...LOCKFILE_STAND_INS, ...COMMAND_STAND_INS]), oclifParts(['Errors', 'Parser', 'Flags', 'Args']), lazyPackages(lazy, LAZY)],
})
checkNotBundledIn(directBuild, lazy, 'the direct commands')
// What bin/run.js runs for every other command line: oclif, with ke's commands (package.json finds them
// in this file, `explicit` strategy), its help class and its hook (src/cli/oclif-loader.ts), in one
// CommonJS file with V8's code cache beside it, sharing lazy/ with the direct commands
const OCLIF_ENTRY = `const oclif = require('@oclif/core')
module.exports = {
  execute: oclif.execute,
  // each command's module runs when oclif asks for it (a getter): what it imports and sets up costs only its own runs
  COMMANDS: {${jsFiles(join(DIST, 'commands')).map((file) => `\n    get ${JSON.stringify(commandIdOf(file))}() { return require(${JSON.stringify(file)}).default },`).join('')}
  },
  get Help() { return require(${JSON.stringify(join(DIST, 'ui', 'help.js'))}).default },
  get commandNotFound() { return require(${JSON.stringify(join(DIST, 'cli', 'hooks', 'command-not-found.js'))}).default },
}`
checkOclifTargets()
const oclifBuild = await bundleCommonJs({
  stdin: {contents: OCLIF_ENTRY, resolveDir: DIST, sourcefile: 'oclif-entry.cjs', loader: 'js'},
  outfile: join(DIRECT, OCLIF_FILE),
  ...CODE_CACHED,
  plugins: [standIns([...LOCKFILE_STAND_INS, ...COMMAND_STAND_INS]), oclifEsmImports(), lazyPackages(lazy, LAZY)],
})
checkNotBundledIn(oclifBuild, lazy, "oclif's commands")
await lazyPackageBundles(lazy, DIRECT)
await bundleCommonJs({entryPoints: [join(DIST, 'cli', 'oclif-loader.js')], outfile: join(DIRECT, 'oclif-loader.cjs')})
writeFileAtPath(join(DIRECT, OCLIF_MAIN_FILE), "'use strict'\n// oclif with ke's commands, from its code cache (src/cli/oclif-loader.ts); Node keeps this module, so each require() gives the same\nmodule.exports = require('./oclif-loader.cjs').loadOclif()\n")
writeFileAtPath(join(DIRECT, 'esm-import.cjs'), "'use strict'\n// oclif's import() of an ES module, from a file Node loads (scripts/bundle.js: oclifEsmImports)\nmodule.exports = (url) => import(url)\n")
// bin/run.js is CommonJS, and so is all it loads for the direct commands: the first ES module a process
// loads costs it Node's ES module loader, ~6 ms more on every command
await bundleCommonJs({entryPoints: [join(DIST, 'cli', 'direct-loader.js')], outfile: join(DIRECT, 'direct-loader.cjs')})
// What bin/run.js runs first: the driver started early (src/driver/run/early-start.ts), one small file
// loaded before anything else, for the driver boots only from then on. Its errors never leave it (it
// starts the driver or leaves that to ke, and says nothing): oclif's error classes, which KeError
// extends, are plain Error classes here, and oclif's ux code that formats them stays out. The lock code
// it shares imports proper-lockfile only to take a lock, which it does not.
await bundleCommonJs({
  entryPoints: [join(DIST, 'driver', 'run', 'early-start.js')],
  outfile: join(OUT, 'early.cjs'),
  plugins: [oclifErrorsAsPlainErrors()],
  external: [...COMMON.external, 'proper-lockfile'],
})
// the built-in drivers (src/driver/install/locate.ts starts these), sharing chunks between themselves only
const drivers = ['sample', 'import'].map((name) => ({in: join(DIST, 'builtin-drivers', name, 'main.js'), out: name}))
// grpc-health-check and @grpc/reflection read .proto files beside their code: carried in the bundle,
// as `ke driver package` does (src/package/embedded-files.ts), and read only when they load (on their
// first call). grpc-js's own (channelz, ORCA) are not: drivers never turn those on, and carried they
// would be read into every driver's start. proto-loader (which grpc-js requires only for those, and the
// SDK only for reflection) is left to node_modules: bundled, its chunk loaded with grpc-js.
await bundle({entryPoints: drivers, outdir: join(OUT, 'drivers'), splitting: true, embedProtos: ['grpc-health-check', '@grpc/reflection']})
// grpc-js and protobufjs's light build for types.Driver, in CommonJS files with V8's code cache beside
// them (src/protocol/grpc-modules.ts loads them so: compiling them was most of what a create or rm
// cost ke), and the messages of proto/drivers.proto as protobufjs's static code (pbjs): what building
// them from JSON and generating their encoders cost every start, done once here. Field names as in the
// .proto (keepCase, as proto-loader is set); no verify, delimited or service code: ke uses none.
const VENDOR = join(OUT, 'vendor')
const DRIVERS_PROTO_STATIC = join(DIST, 'protocol', 'drivers-proto-static.cjs')
await pbjs(['--target', 'static-module', '--wrap', 'commonjs', '--keep-case', '--no-verify', '--no-delimited', '--no-service', '--no-comments', '--out', DRIVERS_PROTO_STATIC, join(ROOT, 'proto', 'drivers.proto')])
const VENDOR_MESSAGES = `protobuf: require('protobufjs/light.js'), driversProto: require(${JSON.stringify(DRIVERS_PROTO_STATIC)})`
/** The plugins grpc-js's index sets up as it loads, in its order: the client's vendor file sets up two. */
const GRPC_INDEX_SETUPS = ['resolver_dns', 'resolver_uds', 'resolver_ip', 'load_balancer_pick_first', 'load_balancer_round_robin', 'load_balancer_outlier_detection', 'load_balancer_weighted_round_robin', 'channelz']

function checkGrpcIndexSetups() {
  const index = readFileSync(createRequire(import.meta.url).resolve('@grpc/grpc-js'), 'utf8')
  const found = [...index.matchAll(/^\s*(\w+)\.setup\(\);/gm)].map((match) => match[1])
  if (found.join() !== GRPC_INDEX_SETUPS.join()) {
    throw new Error(`grpc-js's index sets up ${found.join(', ')}, where this build knows ${GRPC_INDEX_SETUPS.join(', ')}: see whether ke's client needs the new one (its vendor file, scripts/bundle.js) and update GRPC_INDEX_SETUPS`)
  }
}

/** A require() of a file of grpc-js's own build: one the package's index would load. */
const grpcJs = (file) => `require(${JSON.stringify(`@grpc/grpc-js/build/src/${file}.js`)})`
// a driver's server: the whole of grpc-js
await bundleCommonJs({
  stdin: {contents: `module.exports = {grpc: require('@grpc/grpc-js'), ${VENDOR_MESSAGES}}`, resolveDir: ROOT, sourcefile: 'grpc-modules.cjs', loader: 'js'},
  outfile: join(VENDOR, VENDOR_FILES.server),
  ...CODE_CACHED,
  plugins: [standIns(GRPC_STAND_INS)],
})
// the host's client: what of grpc-js's index GrpcClientApi takes, and of the plugins that index sets up
// the two its dials use (an ipv4: or ipv6: target, without a proxy: src/driver/rpc/client.ts). Its
// server, ORCA, the UDS resolver and the other load balancers are a quarter of grpc-js that a create or
// rm then loads no longer (the DNS resolver and channelz are in, as the channel requires them, but
// neither is set up). A file of grpc-js's that has gone fails this build, and so does a plugin its
// index sets up that this build does not know.
checkGrpcIndexSetups()
await bundleCommonJs({
  stdin: {
    contents: `const {ChannelCredentials} = ${grpcJs('channel-credentials')}
${grpcJs('resolver-ip')}.setup()
${grpcJs('load-balancer-pick-first')}.setup()
const grpc = {
  credentials: {createInsecure: ChannelCredentials.createInsecure},
  Metadata: ${grpcJs('metadata')}.Metadata,
  status: ${grpcJs('constants')}.Status,
  makeGenericClientConstructor: ${grpcJs('make-client')}.makeClientConstructor,
}
module.exports = {grpc, ${VENDOR_MESSAGES}}`,
    resolveDir: ROOT,
    sourcefile: 'grpc-client-modules.cjs',
    loader: 'js',
  },
  outfile: join(VENDOR, VENDOR_FILES.client),
  ...CODE_CACHED,
  plugins: [standIns(GRPC_STAND_INS)],
})
// a step of the build, not part of ke's library
rmSync(DRIVERS_PROTO_STATIC)
// and of the lazy files that the training's `ke env` and `ke rm` after it load: kubeconfig files (CI
// jobs run `ke env` after each create); and wsl-utils, which oclif asks on every start whether it runs
// in WSL; the others (prompts, the whole Kubernetes client) run without
const TRAINED_LAZY = [join(DIST, 'kube', 'client-config.js'), 'yaml', 'wsl-utils']
const withCache = (file) => [file, codeCacheFileOf(file)]
// oclif.manifest.json, from which oclif knows the commands without loading each: made before the
// training below, which runs oclif as bin/run.js does
const OCLIF_CLI = join(dirname(createRequire(import.meta.url).resolve('oclif/package.json')), 'bin', 'run.js')
// without the oclif CLI's own update check: its "update available" line is no news of ke's, and it
// writes to the builder's ~/.cache/oclif
const OCLIF_CLI_ENV = {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}
if (spawnSync(process.execPath, [OCLIF_CLI, 'manifest'], {cwd: ROOT, stdio: 'inherit', env: OCLIF_CLI_ENV}).status !== 0) throw new Error('oclif manifest failed')
makeCodeCaches(new Map([
  withCache(join(VENDOR, VENDOR_FILES.client)),
  withCache(join(DIRECT, DIRECT_FILE)),
  withCache(join(DIRECT, OCLIF_FILE)),
  ...TRAINED_LAZY.map((specifier) => {
    if (!lazy.has(specifier)) throw new Error(`${specifier} is no longer a lazy file of ke's bundles: update TRAINED_LAZY in scripts/bundle.js`)
    return withCache(join(DIRECT, lazy.get(specifier)))
  }),
]), new Map([withCache(join(VENDOR, VENDOR_FILES.server))]))

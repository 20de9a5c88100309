// Step 1 of packaging: the driver and everything it imports, in one script that a Node
// single-executable application can run. Such an application runs exactly one CommonJS script whose
// `require` only knows Node's built-in modules, and which cannot `import()` a file. So esbuild
// inlines every module, including the ones the SDK imports lazily with `import()`.
//
// We bundle as ESM and wrap the result in an async function, rather than asking esbuild for CJS: CJS
// output cannot hold a top-level `await`, which driver entry files (like the sample's main.ts) use.
// For that the bundle must contain no `import` statement: built-in modules are reached through
// `require` instead (see nodeBuiltinsViaRequire), and `import.meta` becomes a plain object.
import {existsSync} from 'node:fs'
import {isBuiltin} from 'node:module'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'
import {KeError} from '../errors.js'
import {embedProtoFiles, embeddedFilesPrologue, type EmbeddedFiles} from './embedded-files.js'

export interface BundleRequest {
  /** Absolute path of the driver's entry file (.ts or .js). */
  entry: string
  /** proto/drivers.proto, carried in the script: a packaged driver has no proto file beside it. */
  protoText: string
}

export interface BundledDriver {
  /** The CommonJS script the executable runs. */
  script: string
  /** How many source files went into it. */
  inputs: number
  /** esbuild's warnings, one line each: `file:line: text`. */
  warnings: string[]
  /** Whether an `import()` survived bundling (a computed specifier): V8's code cache must then stay off. */
  dynamicImport: boolean
}

type Esbuild = typeof import('esbuild')
type BuildMessage = import('esbuild').Message

/** esbuild is needed only here, so ke loads it only when a driver is packaged. */
async function loadEsbuild(): Promise<Esbuild> {
  try {
    return await import('esbuild')
  } catch (error) {
    throw new KeError('PACKAGE_FAILED', `cannot package a driver: the bundler esbuild is not installed with ke (${(error as Error).message.split('\n')[0]})`, {
      hint: 'reinstall ke with its dependencies (npm install), or run it from a checkout of ke after npm install',
      cause: error,
    })
  }
}

const BUILTIN_NAMESPACE = 'ke-node-builtin'

/** Turns `import x from 'node:fs'` into a module whose body is `module.exports = require('node:fs')`. */
function nodeBuiltinsViaRequire(): import('esbuild').Plugin {
  return {
    name: 'ke-node-builtins-via-require',
    setup(build) {
      build.onResolve({filter: /.*/, namespace: BUILTIN_NAMESPACE}, (args) => ({path: args.path, external: true}))
      build.onResolve({filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/}, (args) => (isBuiltin(args.path) ? {path: args.path, namespace: BUILTIN_NAMESPACE} : undefined))
      build.onLoad({filter: /.*/, namespace: BUILTIN_NAMESPACE}, (args) => ({contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: 'js'}))
    },
  }
}

/**
 * Optional dependencies stay as `require('bufferutil')` in a try block. The executable's own require
 * loads built-in modules only and prints a warning for anything else; ours fails the same way, quietly,
 * and the same in the executable and under plain node.
 */
const BUILTIN_ONLY_REQUIRE = `var require = (function (original) {
  var isBuiltin = original('module').isBuiltin;
  return Object.assign(function require(id) {
    if (isBuiltin(id)) return original(id);
    var error = new Error("Cannot find module '" + id + "': a packaged driver holds only the modules bundled into it");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }, original);
})(require);`

/** ke's public entry points (package.json "exports"), relative to this file in dist/ or src/. */
const KE_EXPORTS: Record<string, string> = {ke: '../index', 'ke/sdk': '../sdk/index', 'ke/sdk/kube': '../sdk/kube-config', 'ke/verify': '../verify/index'}

function ownExport(specifier: string): string | undefined {
  const relative = KE_EXPORTS[specifier]
  if (!relative) return undefined
  return ['.js', '.ts'].map((ext) => fileURLToPath(new URL(relative + ext, import.meta.url))).find((file) => existsSync(file))
}

/**
 * `import ... from 'ke/sdk'` resolves in the driver's project as usual; when the project does not have ke
 * installed (ke itself installed globally), it resolves to the ke that packages, rather than failing.
 */
function sdkOfThisKe(): import('esbuild').Plugin {
  return {
    name: 'ke-sdk-of-this-ke',
    setup(build) {
      build.onResolve({filter: /^ke(\/(sdk(\/kube)?|verify))?$/}, async (args) => {
        if (args.pluginData === 'ke-sdk-of-this-ke') return undefined
        const found = await build.resolve(args.path, {kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'ke-sdk-of-this-ke'})
        if (found.errors.length === 0) return {path: found.path, namespace: found.namespace, external: found.external, sideEffects: found.sideEffects}
        const own = ownExport(args.path)
        return own ? {path: own} : undefined
      })
    },
  }
}

/** Runs before the driver: what `import.meta` and the proto loader (src/protocol/proto.ts) read. */
function prologue(protoText: string, files: EmbeddedFiles): string {
  return [
    '"use strict";',
    BUILTIN_ONLY_REQUIRE,
    `globalThis.__KE_PROTO_TEXT__ = ${JSON.stringify(protoText)};`,
    "var __ke_import_meta = {url: require('url').pathToFileURL(__filename).href, dirname: __dirname, filename: __filename};",
    embeddedFilesPrologue(files),
  ].join('\n')
}

/** An entry that exports something ends the ESM output with `export{...};`, which a function cannot hold. */
function withoutExportClause(text: string): string {
  const match = /export\s*\{[^}]*\};?\s*$/.exec(text)
  if (!match) throw new KeError('PACKAGE_FAILED', 'cannot package the driver: the bundle ends in an export that ke cannot remove', {hint: 'report this to ke with the entry file'})
  return text.slice(0, match.index)
}

function where(message: BuildMessage): string {
  const at = message.location
  return at ? `${at.file}:${at.line}:${at.column + 1}: ` : ''
}

function hintFor(message: BuildMessage): string {
  const missing = /Could not resolve "([^"]+)"/.exec(message.text)
  if (missing) return `install the driver's dependencies (npm install in its project): "${missing[1]}" must be found from ${message.location?.file ?? 'the entry'}`
  return `fix the error in the driver's code and run ke driver package again`
}

function bundleFailed(entry: string, error: unknown): KeError {
  const errors = (error as {errors?: BuildMessage[]}).errors
  if (!errors?.length) return new KeError('PACKAGE_FAILED', `cannot bundle ${entry}: ${(error as Error).message}`, {cause: error})
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''
  return new KeError('PACKAGE_FAILED', `cannot bundle ${entry}: ${where(errors[0])}${errors[0].text}${more}`, {hint: hintFor(errors[0]), cause: error})
}

/** A broken script would only show when the executable starts; parse it now instead. */
function assertParses(script: string): void {
  try {
    new Script(script, {filename: 'driver.cjs'})
  } catch (error) {
    throw new KeError('PACKAGE_FAILED', `cannot package the driver: the bundled script does not parse (${(error as Error).message})`, {
      hint: 'report this to ke with the entry file',
      cause: error,
    })
  }
}

/** Bundles the driver at `entry` into one script for a single-executable application. */
export async function bundleDriver(req: BundleRequest): Promise<BundledDriver> {
  const esbuild = await loadEsbuild()
  const files: EmbeddedFiles = {}
  let result: import('esbuild').BuildResult<{write: false; metafile: true}>
  try {
    result = await esbuild.build({
      entryPoints: [req.entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      logLevel: 'silent',
      legalComments: 'none',
      // Whitespace and syntax only: names stay, so class names and stack traces still read. A driver that uses
      // @kubernetes/client-node bundles to 16 MB unminified, 6.5 MB minified, and starts ~25% faster.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      define: {'import.meta': '__ke_import_meta'},
      plugins: [nodeBuiltinsViaRequire(), sdkOfThisKe(), embedProtoFiles(files)],
    })
  } catch (error) {
    throw bundleFailed(req.entry, error)
  }
  const [output] = Object.values(result.metafile.outputs)
  const text = result.outputFiles[0].text
  const body = output.exports.length > 0 ? withoutExportClause(text) : text
  const script = `${prologue(req.protoText, files)}\n(async () => {\n${body}\n})();\n`
  assertParses(script)
  return {
    script,
    inputs: Object.entries(output.inputs).filter(([input, use]) => use.bytesInOutput > 0 && !input.startsWith(`${BUILTIN_NAMESPACE}:`)).length,
    warnings: result.warnings.map((warning) => `${where(warning)}${warning.text}`),
    dynamicImport: /\bimport\s*\(/.test(body),
  }
}
